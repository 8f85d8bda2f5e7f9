import AmanaCore
import Foundation

/// Answers for the shipped forms, for the demo install and the tests: every
/// name invented, every value synthetic. `day` is the date the answers are
/// given (forms refuse dates in the future).
public enum DemoAnswers {
    public static func consent(day: String, scopes: [String] = ["services", "referral", "information_sharing", "reporting"]) -> [String: JSONValue] {
        [
            "explained_services": true, "explained_information": true, "explained_limits": true, "explained_right_to_refuse": true,
            "language_used": "arabic", "consent_form_version": "2026-1", "given_by": "survivor", "agreement_kind": "consent",
            "agrees": true, "scopes": .array(scopes.map { .string($0) }), "method": "signed", "signature": "signed on paper, kept in the locked file",
            "consent_date": .string(day),
        ]
    }

    /// A child's assent (12-17) and, with `caregiver`, a caregiver's consent for the same scopes.
    public static func childAgreement(day: String, caregiver: String? = nil) -> [String: JSONValue] {
        var answers = consent(day: day, scopes: ["services", "referral"])
        if let caregiver {
            answers["given_by"] = "caregiver"
            answers["agreeing_person_name"] = .string(caregiver)
            answers["agreeing_person_relationship"] = "parent"
        } else {
            answers["given_by"] = "child"
            answers["agreement_kind"] = "assent"
        }
        return answers
    }

    public static func registration(day: String, givenName: String, familyName: String, phone: String? = nil, sex: String = "female", age: Int = 29) -> [String: JSONValue] {
        var answers: [String: JSONValue] = [
            "identification_date": .string(day), "identified_through": "self", "given_name": .string(givenName), "family_name": .string(familyName),
            "sex": .string(sex), "estimated_age": .number(Double(age)), "displacement_status": "idp", "governorate": "gov_amber", "safe_contact_methods": ["at_centre"],
        ]
        if let phone {
            answers["phone"] = .string(phone)
            answers["phone_is_safe"] = true
        }
        return answers
    }

    public static func incident(day: String) -> [String: JSONValue] {
        [
            "report_date": .string(day), "survivor_age_band": "age_26_40", "incident_date": .string(day), "violence_type": "physical_assault",
            "place_type": "survivor_home", "perpetrator_count": 1, "perpetrator_relationship": "intimate_partner", "perpetrator_access": "yes",
            "care_situation": "adult", "reported_elsewhere": false,
        ]
    }

    public static func survivorAssessment(day: String, risk: String = "medium") -> [String: JSONValue] {
        [
            "assessment_date": .string(day), "private_setting": true, "immediate_danger": false, "feels_safe_at_home": "no",
            "wants_health_care": true, "thoughts_of_self_harm": "no", "wants_psychosocial_support": true, "mandatory_reporting": "no",
            "wants_legal_information": false, "needs": ["safety", "health"], "survivor_priorities": "To be safe at home and see a doctor.",
            "risk_level": .string(risk), "risk_reasons": "The perpetrator still has access; no immediate danger today.",
        ]
    }

    public static func casePlan(day: String) -> [String: JSONValue] {
        [
            "plan_date": .string(day), "overall_objective": "Safety at home and access to health care.",
            "goals": [[
                "goal": "See a doctor this week.", "need_addressed": "health",
                "actions": [["action": "Accompany to the clinic.", "responsible": "caseworker", "due_date": .string(day)]],
            ]],
            "made_with_person": true, "review_date": .string(day),
        ]
    }

    public static func followUp(day: String) -> [String: JSONValue] {
        [
            "follow_up_date": .string(day), "follow_up_mode": "in_person_centre", "reached_person": true, "plan_implemented": "yes",
            "progress": "better", "new_risk": false, "outcome": "ready_for_closure",
        ]
    }

    public static func closure(day: String) -> [String: JSONValue] {
        [
            "closure_date": .string(day), "closure_reason": "goals_met", "goals_met": "all", "summary": "Goals met; the survivor feels safe.",
            "safety_at_closure": "safe", "risk_level_at_closure": "low", "knows_how_to_return": true, "contact_for_feedback": false,
        ]
    }

    public static func caseNote(at: String, note: String) -> [String: JSONValue] {
        ["contact_time": .string(at), "contact_mode": "in_person_centre", "with_person": true, "note": .string(note), "new_safety_concern": false]
    }

    // MARK: Child protection

    public static func childRegistration(caregiver: String) -> [String: JSONValue] {
        [
            "care_arrangement": "one_parent", "separation_status": "not_separated", "has_caregiver": true,
            "caregiver_details": [["caregiver_name": .string(caregiver), "caregiver_relationship": "parent", "is_primary": true, "lives_with_child": true,
                                   "caregiver_supportive": "yes"]],
            "caregiver_is_alleged_perpetrator": false, "caregiver_safe_to_involve": true, "attends_school": "no", "works": "yes",
            "childs_words": "He wants to go back to school.",
        ]
    }

    public static func childRiskAssessment(day: String) -> [String: JSONValue] {
        [
            "assessment_date": .string(day), "child_seen": true, "child_seen_alone": true, "protection_concerns": ["child_labour"],
            "concerns_description": "Works long hours in a workshop and has left school.", "immediate_danger": false, "needs": ["livelihoods"],
            "child_views": "Wants to study and help his mother.", "harm_likelihood": "possible", "harm_severity": "moderate", "risk_level": "medium",
            "risk_reasons": "Hazardous work is possible but not happening every day; his mother supports him.", "bia_recommended": false,
        ]
    }

    // MARK: General protection

    public static func intake(day: String) -> [String: JSONValue] {
        [
            "intake_date": .string(day), "protection_concerns": ["no_documentation", "eviction_risk"],
            "concerns_description": "Lost her identity documents when displaced; the landlord threatens eviction.", "specialised_concern": "none",
            "shelter_situation": "eviction_threat", "legal_help_wanted": true, "legal_issue": "Replacing civil documents.", "income_source": false,
            "cash_for_protection": true, "cash_notes": "Two months' rent.", "health_needs": false, "distress": "partly", "wants_psychosocial_support": false,
        ]
    }

    public static func needsAssessment(day: String) -> [String: JSONValue] {
        [
            "assessment_date": .string(day), "assessment_mode": "in_person_centre", "presenting_concerns": "Documents and rent.",
            "immediate_danger": false, "safe_place_tonight": "yes", "needs": ["legal", "cash"], "priorities": "Keep the home; get her papers back.",
            "risk_level": "medium", "risk_reasons": "Eviction likely within weeks without help.",
        ]
    }
}
