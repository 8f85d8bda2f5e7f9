import AmanaCore
import Store

extension Kernel {
    /// Records a refused act in the audit log and returns the error to throw.
    ///
    /// For case content the caller passes ``AmanaError/notFound``: a refused read
    /// looks exactly like a missing case, so guessing ids reveals nothing.
    func refuse(_ principal: Principal, _ action: String, _ object: String, requestID: String, as error: AmanaError = .forbidden()) async -> AmanaError {
        do {
            try await store.appendAudit(audit(principal.auditName, action, object, .denied, requestID: requestID))
        } catch {
            logger.error("could not record a refusal in the audit log", metadata: ["action": "\(action)"])
        }
        return error
    }
}
