extension OpenAPIDocument {
    /// Coordination on a case (issue 7): case conferences; merged into the document by ``combined``.
    static let coordinationJSON = #"""
    {
      "paths": {
        "/api/v1/cases/{id}/consent/overrides": {
          "post": {
            "operationId": "overrideConsent", "summary": "A supervisor lets one act go ahead without the agreements it needs, where the consent policy allows an override (never for adults by default); flagged, used up by the act",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["override", "act", "reason"], "properties": {"override": {"type": "string"}, "act": {"type": "string"}, "reason": {"type": "string", "minLength": 1, "maxLength": 4000}}}}}},
            "responses": {"201": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/install/public-key": {
          "get": {
            "operationId": "installPublicKey", "summary": "This install's public key for transfer packages, and its fingerprint",
            "responses": {
              "200": {"description": "The key", "content": {"application/json": {"schema": {"type": "object", "required": ["key", "fingerprint"], "properties": {"key": {"type": "string"}, "fingerprint": {"type": "string"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/transfers": {
          "get": {
            "operationId": "listTransfers", "summary": "The case's transfers",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The transfers", "content": {"application/json": {"schema": {"type": "object", "required": ["transfers"], "properties": {"transfers": {"type": "array", "items": {"$ref": "#/components/schemas/Transfer"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "proposeTransfer", "summary": "Propose the case to a colleague on this install; it moves when they accept (to another agency: consent to share with it first)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"to": {"type": "string", "description": "A colleague's username"}, "team": {"type": "string", "description": "Or a team's name: any of its case workers may accept"}, "agency": {"type": "string", "description": "The team's agency code, when another agency's"}, "reason": {"type": "string", "maxLength": 4000}}}}}},
            "responses": {"201": {"description": "Proposed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/cases/{id}/transfers/{transfer}/accept": {
          "post": {
            "operationId": "acceptTransfer", "summary": "The colleague it was proposed to accepts: the case becomes theirs (team and agency included)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/TransferID"}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string"}}}}}},
            "responses": {"200": {"description": "Accepted", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/cases/{id}/transfers/{transfer}/decline": {
          "post": {
            "operationId": "declineTransfer", "summary": "The colleague declines (a reason is required), or the proposer withdraws it",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/TransferID"}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"reason": {"type": "string"}}}}}},
            "responses": {"200": {"description": "Declined or withdrawn", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/transfers/incoming": {
          "get": {
            "operationId": "incomingTransfers", "summary": "Cases proposed to me, waiting for my answer",
            "responses": {"200": {"description": "The transfers", "content": {"application/json": {"schema": {"type": "object", "required": ["transfers"], "properties": {"transfers": {"type": "array", "items": {"$ref": "#/components/schemas/Transfer"}}}}}}}, "401": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/cases/{id}/transfers/package": {
          "post": {
            "operationId": "exportTransferPackage", "summary": "A package of the case for another install: sealed to its public key, signed by this install (consent to share with it first)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["recipient_key", "recipient_name"], "properties": {
              "recipient_key": {"type": "string", "description": "amana-install-v1:..."}, "recipient_name": {"type": "string", "maxLength": 200},
              "forms": {"type": "array", "items": {"type": "string"}, "description": "Default: every form the sender may read"}, "reason": {"type": "string", "maxLength": 4000}}}}}},
            "responses": {
              "201": {"description": "The package, to save byte for byte", "content": {"application/json": {"schema": {"type": "object", "required": ["transfer", "package"], "properties": {"transfer": {"$ref": "#/components/schemas/Transfer"}, "package": {"type": "string"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/transfers/import": {
          "post": {
            "operationId": "importTransferPackage", "summary": "Import a package sent to this install: verified (addressed here, signed by the expected sender, unchanged, never imported before) or refused with nothing imported; returns the new case and a signed receipt",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["package", "expected_sender"], "properties": {"package": {"type": "string"}, "expected_sender": {"type": "string", "description": "The sending install's fingerprint or key"}}}}}},
            "responses": {
              "201": {"description": "Imported", "content": {"application/json": {"schema": {"type": "object", "required": ["case_id", "case_number", "package_id", "forms", "skipped", "incomplete", "receipt"], "properties": {
                "case_id": {"type": "string"}, "case_number": {"type": "string"}, "package_id": {"type": "string"}, "forms": {"type": "array", "items": {"type": "string"}},
                "skipped": {"type": "array", "items": {"type": "string"}},
                "incomplete": {"type": "array", "items": {"type": "string"}, "description": "Forms imported as sent that this install's definitions find incomplete: to complete here"}, "receipt": {"type": "string", "description": "The signed receipt file for the sender"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "413": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/transfers/receipt": {
          "post": {
            "operationId": "recordTransferReceipt", "summary": "Record the receiving install's signed receipt for a package sent from this case",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["receipt"], "properties": {"receipt": {"type": "string"}}}}}},
            "responses": {"200": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transfer"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/cases/{id}/referrals/preview": {
          "post": {
            "operationId": "previewReferral", "summary": "What a referral would send, the consent policy's answers and any profile warning; sends nothing",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferralDraft"}}}},
            "responses": {
              "200": {"description": "The preview", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferralPreview"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/referrals": {
          "get": {
            "operationId": "listReferrals", "summary": "The case's referrals, oldest first: what was shared, with whom, and what happened",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The referrals", "content": {"application/json": {"schema": {"type": "object", "required": ["referrals"], "properties": {"referrals": {"type": "array", "items": {"$ref": "#/components/schemas/Referral"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "sendReferral", "summary": "Send a referral: consent first (409 consent-required naming each missing agreement), the selected answers only; starts the follow-up timer",
            "description": "409 service-profile-mismatch when the service does not list the person's profile and confirm_profile is not true.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferralDraft"}}}},
            "responses": {
              "201": {"description": "Sent; ETag is the referral's version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Referral"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/referrals/{referral}/status": {
          "post": {
            "operationId": "changeReferralStatus", "summary": "The service's answer (accepted, declined with a reason), no_answer, or completed; an answer stops the follow-up timer",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ReferralID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["accepted", "declined", "completed", "no_answer"]}, "reason": {"type": "string", "maxLength": 2000}}}}}},
            "responses": {
              "200": {"description": "Changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Referral"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/referrals/{referral}/follow-up": {
          "post": {
            "operationId": "recordReferralFollowUp", "summary": "The outcome at follow-up and, once per referral, the person's satisfaction (counted in the directory's score)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ReferralID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["outcome"], "properties": {"outcome": {"type": "string", "minLength": 1, "maxLength": 4000}, "service_received": {"type": "boolean"}, "satisfaction": {"type": "string", "description": "A code of core/satisfaction"}}}}}},
            "responses": {
              "200": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Referral"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/services": {
          "get": {
            "operationId": "listServices", "summary": "The service directory: search by need (service type), profile and location; entry points for the profile first",
            "parameters": [
              {"name": "type", "in": "query", "schema": {"type": "string"}, "description": "A code of core/service-types"},
              {"name": "profile", "in": "query", "schema": {"$ref": "#/components/schemas/ServiceProfile"}},
              {"name": "location", "in": "query", "schema": {"type": "string"}, "description": "A code of core/locations: services there, within it, or covering the area it lies in"},
              {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Words in the organisation's or the service's name"},
              {"name": "inactive", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}}
            ],
            "responses": {
              "200": {"description": "The services", "content": {"application/json": {"schema": {"type": "object", "required": ["services"], "properties": {"services": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "addService", "summary": "Add a service (administrators)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ServiceInput"}}}},
            "responses": {
              "201": {"description": "Added; ETag is its version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Service"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/services/{service}": {
          "get": {
            "operationId": "getService", "summary": "One service; ETag is its version",
            "parameters": [{"$ref": "#/components/parameters/ServiceID"}],
            "responses": {
              "200": {"description": "The service", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Service"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "put": {
            "operationId": "changeService", "summary": "Change a service (administrators), with the version read in If-Match",
            "parameters": [{"$ref": "#/components/parameters/ServiceID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ServiceInput"}}}},
            "responses": {
              "200": {"description": "Changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Service"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/services/import": {
          "post": {
            "operationId": "importServices", "summary": "Import services from CSV (administrators): all rows or none; every bad row is reported with its line (invalid_params name /lines/<line>/<column>)",
            "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}},
            "responses": {
              "200": {"description": "Imported", "content": {"application/json": {"schema": {"type": "object", "required": ["created", "updated"], "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/services/export": {
          "get": {
            "operationId": "exportServices", "summary": "The whole directory as CSV, in the columns the import reads (with version, ratings and score, which it ignores)",
            "responses": {
              "200": {"description": "The CSV document", "content": {"text/csv": {"schema": {"type": "string"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/conferences": {
          "get": {
            "operationId": "listConferences", "summary": "The case's conferences, oldest first; confidential notes only for their participants",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The conferences", "content": {"application/json": {"schema": {"type": "object", "required": ["conferences"], "properties": {"conferences": {"type": "array", "items": {"$ref": "#/components/schemas/Conference"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "scheduleConference", "summary": "Schedule a case conference; the scheduler takes part with the colleagues named",
            "description": "Participants are colleagues who may work on the programme's cases. One who cannot see the case yet is invited into it, if the scheduler may invite (assign); otherwise 422 participant-not-on-case.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConferencePlan"}}}},
            "responses": {
              "201": {"description": "Scheduled; ETag is the conference's version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/conferences/{conference}/outcome": {
          "post": {
            "operationId": "recordConferenceOutcome", "summary": "Record what a held conference decided (a participant who may update the case)",
            "description": "consent_exception names the consent policy's exception the conference decided on: the policy's case_conference requirement for it is then met. The conference also meets a workflow's case_conference guard in the state the case is in.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ConferenceID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConferenceOutcomeRequest"}}}},
            "responses": {
              "200": {"description": "Held", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/conferences/{conference}/cancel": {
          "post": {
            "operationId": "cancelConference", "summary": "Cancel a conference not yet held, saying why",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ConferenceID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
            "responses": {
              "200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/conferences/{conference}/notes": {
          "post": {
            "operationId": "addConferenceNote", "summary": "Add a confidential note, read only by the conference's participants (no If-Match: notes only add)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ConferenceID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 8000}}}}}},
            "responses": {
              "201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "parameters": {
          "ConferenceID": {"name": "conference", "in": "path", "required": true, "schema": {"type": "string"}},
          "ServiceID": {"name": "service", "in": "path", "required": true, "schema": {"type": "string"}},
          "ReferralID": {"name": "referral", "in": "path", "required": true, "schema": {"type": "string"}},
          "TransferID": {"name": "transfer", "in": "path", "required": true, "schema": {"type": "string"}}
        },
        "schemas": {
          "Transfer": {"type": "object", "required": ["id", "case_id", "case_number", "mode", "status", "version", "forms", "skipped", "created_at", "created_by", "history"], "properties": {
            "id": {"type": "string"}, "case_id": {"type": "string"}, "case_number": {"type": "string"}, "mode": {"type": "string", "enum": ["package", "internal", "imported"]},
            "status": {"type": "string", "enum": ["exported", "received", "proposed", "accepted", "declined", "withdrawn", "imported"]}, "version": {"type": "integer"},
            "reason": {"type": "string"}, "recipient_name": {"type": "string"}, "recipient_fingerprint": {"type": "string"}, "package_id": {"type": "string"},
            "forms": {"type": "array", "items": {"type": "string"}}, "skipped": {"type": "array", "items": {"type": "string"}}, "to": {"type": "string"}, "to_team": {"type": "string"},
            "sender_fingerprint": {"type": "string"}, "sender_organisation": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}, "created_by": {"type": "string"},
            "history": {"type": "array", "items": {"type": "object", "required": ["at", "by", "status"], "properties": {"at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "status": {"type": "string"}, "reason": {"type": "string"}}}}}},
          "ReferralDraft": {"type": "object", "required": ["service"], "properties": {
            "service": {"type": "string", "description": "A service id of the directory"},
            "fields": {"type": "array", "maxItems": 100, "items": {"type": "string"}, "description": "Answers to share, each <form>/<field> (core/registration/given_name), from the latest entry; none: the referral names no one"},
            "reason": {"type": "string", "maxLength": 4000}, "urgent": {"type": "boolean"},
            "confirm_profile": {"type": "boolean", "description": "Refer even though the service does not list the person's profile"}}},
          "SharedField": {"type": "object", "required": ["form", "form_title", "field", "label", "value", "text"], "properties": {
            "form": {"type": "string"}, "form_title": {"type": "string"}, "field": {"type": "string"}, "label": {"type": "string"}, "value": {}, "text": {"type": "string", "description": "The answer in words"}}},
          "ConsentCheck": {"type": "object", "required": ["act", "allowed", "missing", "agreed_by"], "properties": {
            "act": {"type": "string"}, "recipient": {"type": "string"}, "allowed": {"type": "boolean"}, "age_band": {"type": "string"}, "exception": {"type": "string"},
            "missing": {"type": "array", "items": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
            "agreed_by": {"type": "array", "items": {"type": "string"}},
            "overridden_by": {"type": "string", "description": "Allowed only by a supervisor's override: which"}, "override_approval": {"type": "string"}}},
          "ReferralPreview": {"type": "object", "required": ["service", "consent", "shared", "sendable"], "properties": {
            "service": {"$ref": "#/components/schemas/Service"}, "consent": {"$ref": "#/components/schemas/ConsentCheck"},
            "sharing_consent": {"$ref": "#/components/schemas/ConsentCheck"}, "profile_warning": {"type": "string"},
            "shared": {"type": "array", "items": {"$ref": "#/components/schemas/SharedField"}}, "sendable": {"type": "boolean"}}},
          "Referral": {"type": "object", "required": ["id", "case_id", "status", "version", "urgent", "service", "service_name", "organisation", "is_internal", "shared", "agreed_by", "profile_warning_confirmed", "sent_at", "sent_by", "history", "follow_ups"], "properties": {
            "id": {"type": "string"}, "case_id": {"type": "string"}, "status": {"type": "string", "enum": ["sent", "accepted", "declined", "completed", "no_answer"]},
            "version": {"type": "integer"}, "urgent": {"type": "boolean"}, "service": {"type": "string"}, "service_name": {"type": "string"}, "organisation": {"type": "string"},
            "service_type": {"type": "string"}, "is_internal": {"type": "boolean"}, "reason": {"type": "string"},
            "shared": {"type": "array", "items": {"$ref": "#/components/schemas/SharedField"}, "description": "Answers of forms the reader may not read are left out"},
            "agreed_by": {"type": "array", "items": {"type": "string"}}, "profile_warning_confirmed": {"type": "boolean"},
            "sent_at": {"type": "string", "format": "date-time"}, "sent_by": {"type": "string"},
            "history": {"type": "array", "items": {"type": "object", "required": ["at", "by", "status"], "properties": {"at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "status": {"type": "string"}, "reason": {"type": "string"}}}},
            "follow_ups": {"type": "array", "items": {"type": "object", "required": ["at", "by", "outcome"], "properties": {"at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "outcome": {"type": "string"}, "service_received": {"type": "boolean"}, "satisfaction": {"type": "string"}}}}}},
          "ServiceProfile": {"type": "string", "enum": ["girls", "boys", "women", "men", "lgbti", "disability", "other"]},
          "ServiceProfiles": {"type": "object", "description": "Profile -> entry_point (people can come directly) or funnelling (on referral); a profile not listed is not served", "propertyNames": {"$ref": "#/components/schemas/ServiceProfile"}, "additionalProperties": {"type": "string", "enum": ["entry_point", "funnelling"]}},
          "ServiceInput": {"type": "object", "required": ["id", "organisation", "name", "service_type", "location", "profiles"], "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,63}$"}, "organisation": {"type": "string", "maxLength": 200}, "name": {"type": "string", "maxLength": 200},
            "service_type": {"type": "string", "description": "A code of core/service-types"}, "location": {"type": "string", "description": "A code of core/locations"},
            "address": {"type": "string", "maxLength": 500}, "hours": {"type": "string", "maxLength": 500}, "contact": {"type": "string", "maxLength": 500},
            "profiles": {"$ref": "#/components/schemas/ServiceProfiles"}, "coordination_registration": {"type": "string", "maxLength": 100},
            "agency": {"type": "string", "description": "The agency on this install that runs it (an internal service)"}, "active": {"type": "boolean"}}},
          "Service": {"type": "object", "required": ["id", "organisation", "name", "service_type", "service_type_label", "location", "location_label", "address", "hours", "contact", "profiles", "active", "ratings", "version", "updated_at"], "properties": {
            "id": {"type": "string"}, "organisation": {"type": "string"}, "name": {"type": "string"}, "service_type": {"type": "string"}, "service_type_label": {"type": "string"},
            "location": {"type": "string"}, "location_label": {"type": "string"}, "address": {"type": "string"}, "hours": {"type": "string"}, "contact": {"type": "string"},
            "profiles": {"$ref": "#/components/schemas/ServiceProfiles"}, "coordination_registration": {"type": "string"}, "agency": {"type": "string"}, "active": {"type": "boolean"},
            "ratings": {"type": "integer", "description": "Survivors' ratings recorded at referral follow-up"},
            "score": {"type": "number", "minimum": 1, "maximum": 5, "description": "Their average, shown from 5 ratings on"},
            "version": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"}}},
          "ConferencePlan": {"type": "object", "required": ["scheduled_for", "agenda"], "properties": {
            "scheduled_for": {"type": "string", "format": "date-time"}, "agenda": {"type": "string", "minLength": 1, "maxLength": 4000},
            "participants": {"type": "array", "maxItems": 30, "items": {"type": "string"}, "description": "Usernames of colleagues"},
            "external_participants": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 200}, "description": "People without an account: name and organisation"},
            "survivor_invited": {"type": "boolean"}}},
          "ConferenceOutcomeRequest": {"type": "object", "required": ["decisions"], "properties": {
            "held_on": {"type": "string", "format": "date", "description": "Default today; never in the future"},
            "decisions": {"type": "string", "minLength": 1, "maxLength": 8000}, "plan_changes": {"type": "string", "maxLength": 8000},
            "survivor_attended": {"type": "boolean"}, "consent_exception": {"type": "string", "description": "An exception id of the programme's consent policy"}}},
          "Conference": {"type": "object", "required": ["id", "case_id", "status", "version", "scheduled_for", "agenda", "participants", "external_participants", "survivor_invited", "created_by", "created_at"], "properties": {
            "id": {"type": "string"}, "case_id": {"type": "string"}, "status": {"type": "string", "enum": ["scheduled", "held", "cancelled"]}, "version": {"type": "integer"},
            "scheduled_for": {"type": "string", "format": "date-time"}, "agenda": {"type": "string"},
            "participants": {"type": "array", "items": {"type": "string"}}, "external_participants": {"type": "array", "items": {"type": "string"}},
            "survivor_invited": {"type": "boolean"}, "created_by": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
            "outcome": {"type": "object", "required": ["held_on", "decisions", "survivor_attended", "recorded_by", "recorded_at"], "properties": {
              "held_on": {"type": "string", "format": "date"}, "decisions": {"type": "string"}, "plan_changes": {"type": "string"}, "survivor_attended": {"type": "boolean"},
              "consent_exception": {"type": "string"}, "consent_exception_label": {"type": "string"}, "recorded_by": {"type": "string"}, "recorded_at": {"type": "string", "format": "date-time"}}},
            "cancel_reason": {"type": "string"},
            "notes": {"type": "array", "description": "Absent for a reader who is not a participant", "items": {"type": "object", "required": ["at", "by", "text"], "properties": {"at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "text": {"type": "string"}}}}}}
        }
      }
    }
    """#
}
