import Kernel

/// The referral being written: the directory, the answers to share, then the
/// Kernel's preview with its consent check.
extension Screens {
    static func referralContent(_ r: ReferralComposer, height: Int, width: Int) -> (String, [ScreenLine], String) {
        let t = { (english: String, values: [String]) in TUIText.text(english, r.language, values) }
        let title = t("Case {0} — refer", [r.caseNumber])
        switch r.step {
        case .service:
            var lines = [ScreenLine(t("Search: ", []) + r.search + "▏", .selected), ScreenLine("")]
            let shown = r.shownServices
            if shown.isEmpty { lines.append(ScreenLine(t("No service in the directory holds “{0}”.", [r.search]))) }
            lines += window(shown, selection: r.selection, height: height - lines.count).map { index, s in
                // The name and the organisation take what a wider terminal gives.
                ScreenLine(columns([s.name, s.organisation, s.serviceTypeLabel, s.locationLabel], [width * 35 / 100, width * 30 / 100, width * 20 / 100]), index == r.selection ? .selected : .plain)
            }
            return (title, lines, t("type to search the directory · ↑↓ choose · Enter this service · Esc back", []))
        case .answers:
            var lines = wrap(t("To {0} — {1}. What goes with the referral (nothing is the default):", [r.service?.name ?? "", r.service?.organisation ?? ""]), width).map { ScreenLine($0) }
            lines.append(ScreenLine(""))
            if r.shareable.isEmpty { lines.append(ScreenLine(t("No answers on the case to share.", []))) }
            lines += window(r.shareable, selection: r.selection, height: height - lines.count).map { index, s in
                ScreenLine("\(r.chosen.contains(s.path) ? "[x]" : "[ ]") \(s.label): \(s.text)", index == r.selection ? .selected : .plain)
            }
            return (title, lines, t("↑↓ move · Space share or not · Enter check and review · Esc another service", []))
        case .review:
            return (title, reviewBody(r, width: width, t: t), t("type the reason · Ctrl-T urgent · Ctrl-P confirm the profile · Ctrl-S send · Esc back", []))
        }
    }

    static func reviewBody(_ r: ReferralComposer, width: Int, t: (String, [String]) -> String) -> [ScreenLine] {
        var lines = [
            ScreenLine(t("To {0} — {1}", [r.service?.name ?? "", r.service?.organisation ?? ""]), .title),
            ScreenLine(t("Reason: ", []) + r.reason + "▏", .selected),
            ScreenLine(t("Urgent: {0}", [t(r.urgent ? "Yes" : "No", [])])),
            ScreenLine(""),
        ]
        guard let preview = r.preview else { return lines + [ScreenLine(t("Checking…", []))] }
        let checks = [preview.consent] + (preview.sharingConsent.map { [$0] } ?? [])
        let allowed = checks.allSatisfy(\.allowed) && preview.notAgreed.isEmpty
        lines.append(ScreenLine(t(allowed ? "Consent: allowed" : "Consent: not yet — nothing can be sent until:", []), allowed ? .title : .problem))
        for check in checks {
            lines += check.missing.flatMap { missing in wrap(missing.message, width - 4).enumerated().map { ScreenLine(($0.offset == 0 ? "  ✗ " : "    ") + $0.element, .problem) } }
            if let override = check.overriddenBy { lines.append(ScreenLine("  ! " + t("Allowed by a supervisor's override: {0}", [override]))) }
        }
        lines += preview.notAgreed.map { ScreenLine("  ✗ " + t("Not agreed to be shared with this organisation: {0}", [$0]), .problem) }
        if let warning = preview.profileWarning {
            lines += [ScreenLine(""), ScreenLine("! \(warning)", .problem), ScreenLine("  " + t(r.confirmProfile ? "Confirmed." : "Ctrl-P confirms it.", []))]
        }
        lines += [ScreenLine(""), ScreenLine(t("What goes:", []), .title)]
        lines += preview.shared.isEmpty ? [ScreenLine("  " + t("nothing but the referral itself", []))] : preview.shared.map { ScreenLine("  \($0.formTitle) — \($0.label): \($0.text)") }
        return lines
    }
}
