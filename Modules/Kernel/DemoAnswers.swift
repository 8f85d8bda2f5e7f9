import AmanaCore
import Foundation

/// Answers for the shipped forms, for the demo install and the tests: every
/// name invented, every value synthetic. `day` is the date the answers are
/// given (forms refuse dates in the future).
public enum DemoAnswers {
    public static func consent(day: String, scopes: [String] = ["services", "referral", "information_sharing"]) -> [String: JSONValue] {
        [
            "explained_services": true, "explained_information": true, "explained_limits": true, "explained_right_to_refuse": true,
            "language_used": "arabic", "consent_form_version": "2026-1", "given_by": "survivor", "agreement_kind": "consent",
            "agrees": true, "scopes": .array(scopes.map { .string($0) }), "method": "signed", "signature": "signed on paper, kept in the locked file",
            "consent_date": .string(day),
        ]
    }

    public static func registration(day: String, givenName: String, familyName: String, phone: String? = nil) -> [String: JSONValue] {
        var answers: [String: JSONValue] = [
            "identification_date": .string(day), "identified_through": "self", "given_name": .string(givenName), "family_name": .string(familyName),
            "sex": "female", "estimated_age": 29, "displacement_status": "idp", "governorate": "gov_amber", "safe_contact_methods": ["at_centre"],
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
}
