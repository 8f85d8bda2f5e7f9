extension OpenAPIDocument {
    /// Coordination on a case (issue 7): case conferences; merged into the document by ``combined``.
    static let coordinationJSON = #"""
    {
      "paths": {
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
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ConferenceID"}, {"$ref": "#/components/parameters/IfMatch"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConferenceOutcomeRequest"}}}},
            "responses": {
              "200": {"description": "Held", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/conferences/{conference}/cancel": {
          "post": {
            "operationId": "cancelConference", "summary": "Cancel a conference not yet held, saying why",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ConferenceID"}, {"$ref": "#/components/parameters/IfMatch"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 2000}}}}}},
            "responses": {
              "200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conference"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
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
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "parameters": {
          "ConferenceID": {"name": "conference", "in": "path", "required": true, "schema": {"type": "string"}}
        },
        "schemas": {
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
