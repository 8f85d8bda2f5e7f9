extension OpenAPIDocument {
    /// The case file's operations and schemas, merged into the document by ``combined``.
    static let caseFileJSON = #"""
    {
      "paths": {
        "/api/v1/cases": {
          "get": {
            "operationId": "listCases", "summary": "The cases you may see, newest first, a page at a time",
            "description": "Only the envelope (number, state, risk, owner): no one's name. Filters combine; the next page comes from next_cursor.",
            "parameters": [
              {"name": "type", "in": "query", "schema": {"type": "string"}, "description": "Programme(s): gbv, child-protection, general-protection (comma-separated)"},
              {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "Workflow state(s), comma-separated"},
              {"name": "risk", "in": "query", "schema": {"type": "string"}, "description": "low, medium, high (comma-separated)"},
              {"name": "owner", "in": "query", "schema": {"type": "string"}, "description": "Username of the owner"},
              {"name": "case_number", "in": "query", "schema": {"type": "string"}},
              {"name": "overdue", "in": "query", "schema": {"type": "boolean"}, "description": "Only cases with an overdue task"},
              {"name": "cursor", "in": "query", "schema": {"type": "string"}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
            ],
            "responses": {
              "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CasePage"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "openCase", "summary": "Open a case you will own, in its workflow's first state",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OpenCase"}}}},
            "responses": {
              "201": {"description": "Opened", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/search": {
          "post": {
            "operationId": "searchCases", "summary": "Exact search on identifying answers (names, phone numbers) through their blind indexes",
            "description": "The value is normalised (case, spaces, Arabic spelling variants) and hashed; nothing is decrypted. Without field, every identifying field is searched. A POST so that the value never appears in a URL.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseSearch"}}}},
            "responses": {
              "200": {"description": "Cases you may open", "content": {"application/json": {"schema": {"type": "object", "required": ["cases"], "properties": {"cases": {"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}": {
          "get": {
            "operationId": "readCase", "summary": "A case: where it is, its forms (not their answers), what can happen next and why not, tasks, approvals, history",
            "description": "A case you may not read answers 404, exactly like a case that does not exist; the refusal is audited.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The case", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "patch": {
            "operationId": "updateCase", "summary": "Hand the case to another caseworker (assign permission) or set its risk level",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"owner": {"type": "string"}, "risk_level": {"type": "string", "enum": ["low", "medium", "high"]}}}}}},
            "responses": {
              "200": {"description": "Updated", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/members": {
          "post": {
            "operationId": "addCaseMember", "summary": "Invite a person (a technical specialist) into the case",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["username"], "properties": {"username": {"type": "string"}}}}}},
            "responses": {
              "200": {"description": "Invited", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/transitions": {
          "get": {
            "operationId": "listTransitions", "summary": "The steps the case can take from its state, each with every reason it is blocked",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The steps", "content": {"application/json": {"schema": {"type": "object", "required": ["transitions"], "properties": {"transitions": {"type": "array", "items": {"$ref": "#/components/schemas/Transition"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "performTransition", "summary": "Take a step of the workflow",
            "description": "Every guard is checked on the server. Blocked: 409 (403 when only the role is wrong), with each unmet guard in invalid_params (code workflow.*). Reopening a closed case needs a reason.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/IfMatchRequired"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["transition"], "properties": {"transition": {"type": "string"}, "reason": {"type": "string", "maxLength": 4000}}}}}},
            "responses": {
              "200": {"description": "Moved", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/forms/{namespace}/{name}": {
          "get": {
            "operationId": "readSubmission", "summary": "A form's answers on the case",
            "description": "A form your role may not read (readable_by) answers 404. ETag is the submission's version.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}, {"$ref": "#/components/parameters/Entry"}],
            "responses": {
              "200": {"description": "The answers", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          },
          "put": {
            "operationId": "saveSubmission", "summary": "Fill in or change a form on the case",
            "description": "The body is the form's answers, as /api/v1/forms/{namespace}/{name}/schema describes them. Changing an existing submission needs If-Match with its version. Every problem comes back at once (422, invalid_params with each field's path); nothing is stored.",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}, {"$ref": "#/components/parameters/Entry"}, {"$ref": "#/components/parameters/IfMatch"}, {"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answers"}}}},
            "responses": {
              "200": {"description": "Saved", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "addSubmission", "summary": "Add an entry of a form a case holds many times (consent per person, follow-up, case note)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}, {"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answers"}}}},
            "responses": {
              "201": {"description": "Added", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
              "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}, "428": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/forms/{namespace}/{name}/history": {
          "get": {
            "operationId": "submissionHistory", "summary": "Every version of a submission: who, when, which fields; answers only for readers of the form",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}, {"$ref": "#/components/parameters/Entry"}],
            "responses": {
              "200": {"description": "The versions", "content": {"application/json": {"schema": {"type": "object", "required": ["versions"], "properties": {"versions": {"type": "array", "items": {"$ref": "#/components/schemas/SubmissionVersion"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/notes": {
          "post": {
            "operationId": "addNote", "summary": "Add a case note (an entry of the core/case-note form)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/IdempotencyKey"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answers"}}}},
            "responses": {
              "201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/attachments": {
          "get": {
            "operationId": "listAttachments", "summary": "The case's attachments: names, kinds and sizes, oldest first",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "200": {"description": "The attachments", "content": {"application/json": {"schema": {"type": "object", "required": ["attachments"], "properties": {"attachments": {"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "addAttachment", "summary": "Attach a file: the body is the file; PDF, JPEG, PNG or plain text, recognised from its bytes",
            "description": "The file name goes in Content-Disposition (attachment; filename=\"report.pdf\"), never in the URL. A declared Content-Type must match what the bytes are (application/octet-stream: let Amana tell). Larger than attachments.max_bytes (default 10 MiB): 413. Name and content are encrypted under the case key.",
            "parameters": [
              {"$ref": "#/components/parameters/CaseID"},
              {"name": "Content-Disposition", "in": "header", "schema": {"type": "string"}, "description": "attachment; filename=\"name.pdf\" (or filename*=UTF-8''...)"}
            ],
            "requestBody": {"required": true, "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "image/jpeg": {"schema": {"type": "string", "format": "binary"}}, "image/png": {"schema": {"type": "string", "format": "binary"}}, "text/plain": {"schema": {"type": "string", "format": "binary"}}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {
              "201": {"description": "Attached", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Attachment"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/attachments/{attachment}": {
          "get": {
            "operationId": "readAttachment", "summary": "An attachment's content, as a download (never rendered inline); audited",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"name": "attachment", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "The file, with the type found when it was attached", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "image/jpeg": {"schema": {"type": "string", "format": "binary"}}, "image/png": {"schema": {"type": "string", "format": "binary"}}, "text/plain": {"schema": {"type": "string", "format": "binary"}}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/tasks": {
          "post": {
            "operationId": "addTask", "summary": "Add a task on the case (the title is encrypted)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["title", "due_at"], "properties": {"title": {"type": "string"}, "due_at": {"type": "string", "format": "date-time"}, "assignee": {"type": "string"}}}}}},
            "responses": {
              "201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/tasks/{task}/complete": {
          "post": {
            "operationId": "completeTask", "summary": "Mark a task done",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"name": "task", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Done"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/cases/{id}/consent/requirements": {
          "get": {
            "operationId": "consentRequirements", "summary": "Whether the programme's consent policy allows an act now, and everything still missing, in the reader's language",
            "parameters": [
              {"$ref": "#/components/parameters/CaseID"},
              {"name": "act", "in": "query", "required": true, "schema": {"type": "string", "enum": ["services", "referral", "information_sharing", "contact_after_closure", "reporting"]}},
              {"name": "recipient", "in": "query", "description": "For a referral or sharing: the service or organisation it goes to", "schema": {"type": "string", "maxLength": 200}}
            ],
            "responses": {
              "200": {"description": "The answer", "content": {"application/json": {"schema": {"type": "object", "required": ["act", "allowed", "missing", "agreed_by"], "properties": {
                "act": {"type": "string"}, "recipient": {"type": "string"}, "allowed": {"type": "boolean"},
                "age_band": {"type": "string", "description": "The policy's band that applied, e.g. 12-14; absent when the age is not known"},
                "exception": {"type": "string", "description": "The policy exception that applied, in the reader's language"},
                "missing": {"type": "array", "items": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string", "enum": ["consent.age-unknown", "consent.agreement", "consent.renewal", "consent.refused", "consent.case-conference", "consent.approval"]}, "message": {"type": "string"}}}},
                "agreed_by": {"type": "array", "items": {"type": "string"}, "description": "The consent entries that agree to the act, e.g. core/consent#1"},
                "overridden_by": {"type": "string", "description": "Allowed only by a supervisor's override (the override, in the reader's language)"},
                "override_approval": {"type": "string", "description": "The approval recording that override; the act uses it up"}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/consent/approvals": {
          "post": {
            "operationId": "requestConsentApproval", "summary": "Ask the supervisor the consent policy names to approve serving the child under the exception that holds; decided with the approvals' approve and reject",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "responses": {
              "201": {"description": "Asked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/consent/{entry}/withdraw": {
          "post": {
            "operationId": "withdrawConsent", "summary": "Withdraw scopes of one agreement (an entry of core/consent): they stop counting at once; the entry gets a new version",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"name": "entry", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["scopes"], "properties": {"scopes": {"type": "array", "minItems": 1, "items": {"type": "string"}}, "note": {"type": "string", "description": "What the person said (optional; no reason is needed)"}}}}}},
            "responses": {
              "200": {"description": "The agreement's new version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"},
              "412": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/tasks": {
          "get": {
            "operationId": "myWork", "summary": "My work: my open tasks, overdue first, then by risk, then by due date",
            "parameters": [{"name": "assignee", "in": "query", "schema": {"type": "string", "enum": ["me"]}}],
            "responses": {
              "200": {"description": "The tasks", "content": {"application/json": {"schema": {"type": "object", "required": ["tasks"], "properties": {"tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/approvals": {
          "get": {
            "operationId": "pendingApprovals", "summary": "Approvals waiting for me (my role, cases within my reach)",
            "responses": {
              "200": {"description": "The approvals", "content": {"application/json": {"schema": {"type": "object", "required": ["approvals"], "properties": {"approvals": {"type": "array", "items": {"$ref": "#/components/schemas/Approval"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/approvals": {
          "post": {
            "operationId": "requestApproval", "summary": "Ask for the approval a step needs, once everything else it needs is in place",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["transition"], "properties": {"transition": {"type": "string"}}}}}},
            "responses": {
              "201": {"description": "Asked", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/approvals/{approval}/approve": {
          "post": {
            "operationId": "approve", "summary": "Approve (a person in the named role, not the one who asked)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ApprovalID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
            "responses": {
              "200": {"description": "Approved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/approvals/{approval}/reject": {
          "post": {
            "operationId": "reject", "summary": "Reject, saying why (the comment is required)",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}, {"$ref": "#/components/parameters/ApprovalID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
            "responses": {
              "200": {"description": "Rejected", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "headers": {
          "ETag": {"description": "The version of what was read or written, to send back in If-Match", "schema": {"type": "string"}}
        },
        "parameters": {
          "CaseID": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}},
          "ApprovalID": {"name": "approval", "in": "path", "required": true, "schema": {"type": "string"}},
          "Entry": {"name": "entry", "in": "query", "required": false, "description": "Which entry of a form held many times (default 1)", "schema": {"type": "integer", "minimum": 1}},
          "IfMatch": {"name": "If-Match", "in": "header", "required": false, "description": "The version you read (the ETag). Required to change what exists: 428 without it, 412 when someone changed it since.", "schema": {"type": "string", "pattern": "^(W/)?\"?[0-9]+\"?$"}},
          "IfMatchRequired": {"name": "If-Match", "in": "header", "required": true, "description": "The version you read (the ETag): 428 without it, 412 when someone changed it since.", "schema": {"type": "string", "pattern": "^(W/)?\"?[0-9]+\"?$"}, "example": "\"1\""},
          "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": false, "description": "A retry with the same key and body returns the first result; with another body, 409.", "schema": {"type": "string", "maxLength": 200}}
        },
        "schemas": {
          "OpenCase": {"type": "object", "required": ["case_type"], "properties": {"case_type": {"type": "string", "enum": ["gbv", "child-protection", "general-protection"]}}},
          "CaseSearch": {"type": "object", "required": ["value"], "properties": {"value": {"type": "string"}, "field": {"type": "string", "description": "An identifying field id (given_name, phone...); default: all"}}},
          "CaseSummary": {
            "type": "object", "required": ["id", "case_number", "case_type", "state", "owner", "version", "updated_at", "closed"],
            "properties": {
              "id": {"type": "string"}, "case_number": {"type": "string"}, "case_type": {"type": "string"}, "state": {"type": "string"},
              "risk_level": {"type": "string", "enum": ["low", "medium", "high"]}, "owner": {"type": "string"}, "version": {"type": "integer"},
              "updated_at": {"type": "string", "format": "date-time"}, "closed": {"type": "boolean"}
            }
          },
          "CasePage": {"type": "object", "required": ["cases"], "properties": {"cases": {"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}}, "next_cursor": {"type": "string"}}},
          "CaseDetail": {
            "type": "object", "required": ["summary", "state_label", "created_at", "members", "forms", "transitions", "tasks", "approvals", "attachments", "history"],
            "properties": {
              "summary": {"$ref": "#/components/schemas/CaseSummary"}, "state_label": {"type": "string"}, "team": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"}, "closed_at": {"type": "string", "format": "date-time"},
              "last_reviewed_at": {"type": "string", "format": "date-time", "description": "The latest case file review (core/case-file-review)"}, "last_reviewed_by": {"type": "string"},
              "members": {"type": "array", "items": {"type": "string"}},
              "forms": {"type": "array", "items": {"type": "object", "required": ["form_id", "title", "entry", "version", "form_version", "at", "by", "readable"], "properties": {
                "form_id": {"type": "string"}, "title": {"type": "string"}, "entry": {"type": "integer"}, "version": {"type": "integer"}, "form_version": {"type": "integer"},
                "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "readable": {"type": "boolean"}}}},
              "transitions": {"type": "array", "items": {"$ref": "#/components/schemas/Transition"}},
              "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
              "approvals": {"type": "array", "items": {"$ref": "#/components/schemas/Approval"}},
              "attachments": {"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}},
              "history": {"type": "array", "items": {"type": "object", "required": ["at", "by", "to"], "properties": {
                "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "transition": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"}, "reason": {"type": "string"}}}}
            }
          },
          "Transition": {
            "type": "object", "required": ["id", "label", "to", "available", "can_request_approval", "blocked_by"],
            "properties": {
              "id": {"type": "string"}, "label": {"type": "string"}, "to": {"type": "string"}, "available": {"type": "boolean"}, "can_request_approval": {"type": "boolean"},
              "blocked_by": {"type": "array", "items": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}
            }
          },
          "Answers": {"type": "object", "description": "A form's answers: see the form's JSON Schema (x-amana-form-schemas)", "additionalProperties": true},
          "Submission": {
            "type": "object", "required": ["case_id", "form_id", "entry", "version", "form_version", "overlays", "values", "at", "by", "case_version"],
            "properties": {
              "case_id": {"type": "string"}, "form_id": {"type": "string"}, "entry": {"type": "integer"}, "version": {"type": "integer"},
              "form_version": {"type": "integer"}, "overlays": {"type": "object", "additionalProperties": {"type": "integer"}},
              "values": {"$ref": "#/components/schemas/Answers"}, "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}, "case_version": {"type": "integer"}
            }
          },
          "SubmissionVersion": {
            "type": "object", "required": ["version", "form_version", "at", "by", "changed"],
            "properties": {"version": {"type": "integer"}, "form_version": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"},
                           "changed": {"type": "array", "items": {"type": "string"}}, "values": {"$ref": "#/components/schemas/Answers"}}
          },
          "Task": {
            "type": "object", "required": ["id", "case_id", "case_number", "title", "assignee", "due_at", "overdue", "status"],
            "properties": {"id": {"type": "string"}, "case_id": {"type": "string"}, "case_number": {"type": "string"}, "risk_level": {"type": "string"}, "title": {"type": "string"},
                           "assignee": {"type": "string"}, "due_at": {"type": "string", "format": "date-time"}, "overdue": {"type": "boolean"}, "status": {"type": "string", "enum": ["open", "done", "cancelled"]}}
          },
          "Attachment": {
            "type": "object", "required": ["id", "case_id", "name", "content_type", "bytes", "at", "by"],
            "properties": {
              "id": {"type": "string"}, "case_id": {"type": "string"}, "name": {"type": "string"},
              "content_type": {"type": "string", "enum": ["application/pdf", "image/jpeg", "image/png", "text/plain"]},
              "bytes": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "by": {"type": "string"}
            }
          },
          "Approval": {
            "type": "object", "required": ["id", "case_id", "case_number", "transition", "transition_label", "approver_role", "requested_by", "requested_at", "status"],
            "properties": {"id": {"type": "string"}, "case_id": {"type": "string"}, "case_number": {"type": "string"}, "transition": {"type": "string"}, "transition_label": {"type": "string"},
                           "approver_role": {"type": "string"}, "requested_by": {"type": "string"}, "requested_at": {"type": "string", "format": "date-time"},
                           "status": {"type": "string", "enum": ["pending", "approved", "rejected", "used", "withdrawn"]}, "decided_by": {"type": "string"},
                           "decided_at": {"type": "string", "format": "date-time"}, "comment": {"type": "string"}}
          },
          "Decision": {"type": "object", "properties": {"comment": {"type": "string", "maxLength": 4000}}}
        }
      }
    }
    """#
}
