import Foundation

/// The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.
///
/// Kept by hand next to the routes; `OpenAPIDocumentTests` checks that every
/// route is described and every described operation is routed.
enum OpenAPIDocument {
    /// The document as served: the fixed part plus, under `x-amana-form-schemas`,
    /// the link to the JSON Schema of every form this install serves.
    static func served(_ combined: [String: Any], formIDs: [String]) -> Data {
        var document = combined
        document["x-amana-form-schemas"] = Dictionary(uniqueKeysWithValues: formIDs.map { ($0, "/api/v1/forms/\($0)/schema") })
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// The parts merged into the base document, each with its paths and components.
    static let parts = [caseFileJSON, coordinationJSON, supervisionJSON]

    /// The fixed part: the base document with the other parts' paths and schemas merged in.
    static var combined: [String: Any] {
        guard var document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        for part in parts {
            guard let extra = try? JSONSerialization.jsonObject(with: Data(part.utf8)) as? [String: Any] else { return [:] }
            document["paths"] = (document["paths"] as? [String: Any] ?? [:]).merging(extra["paths"] as? [String: Any] ?? [:]) { a, _ in a }
            var components = document["components"] as? [String: Any] ?? [:]
            for (kind, more) in extra["components"] as? [String: [String: Any]] ?? [:] {
                components[kind] = (components[kind] as? [String: Any] ?? [:]).merging(more) { a, _ in a }
            }
            document["components"] = components
        }
        document["paths"] = (document["paths"] as? [String: Any]).map(withCommonAnswers)
        return withNullableOptionalInputs(document)
    }

    /// In a request body, an optional property sent as `null` is read as absent (Swift's
    /// decoding of optionals); the document says so rather than promise a refusal.
    /// Applied to the inline schemas of request bodies and to every schema they refer to.
    static func withNullableOptionalInputs(_ document: [String: Any]) -> [String: Any] {
        var document = document
        var components = document["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        var pending: [String] = []
        var seen: Set<String> = []
        func nullable(_ schema: Any) -> Any {
            guard var object = schema as? [String: Any] else { return schema }
            if let reference = object["$ref"] as? String, reference.hasPrefix("#/components/schemas/") {
                pending.append(String(reference.dropFirst("#/components/schemas/".count)))
                return object
            }
            if var properties = object["properties"] as? [String: Any] {
                let required = Set(object["required"] as? [String] ?? [])
                for (name, property) in properties {
                    var value = nullable(property)
                    if !required.contains(name), var typed = value as? [String: Any], let type = typed["type"] as? String {
                        typed["type"] = [type, "null"]
                        if let options = typed["enum"] as? [Any] { typed["enum"] = options + [NSNull()] }
                        value = typed
                    }
                    properties[name] = value
                }
                object["properties"] = properties
            }
            if let items = object["items"] { object["items"] = nullable(items) }
            return object
        }
        var paths = document["paths"] as? [String: Any] ?? [:]
        for (path, item) in paths {
            guard var operations = item as? [String: Any] else { continue }
            for (method, value) in operations {
                guard var operation = value as? [String: Any], var body = operation["requestBody"] as? [String: Any],
                      var content = body["content"] as? [String: Any], var json = content["application/json"] as? [String: Any],
                      let schema = json["schema"] else { continue }
                json["schema"] = nullable(schema)
                content["application/json"] = json
                body["content"] = content
                operation["requestBody"] = body
                operations[method] = operation
            }
            paths[path] = operations
        }
        while let name = pending.popLast() {
            guard seen.insert(name).inserted, let schema = schemas[name] else { continue }
            schemas[name] = nullable(schema)
        }
        components["schemas"] = schemas
        document["components"] = components
        document["paths"] = paths
        return document
    }

    /// The answers any operation may give, added here once rather than written into each:
    /// 429 for the request rate (``RateLimitMiddleware``); with a body, 400 (not JSON, or
    /// not the expected shape), 413 (over the size limit) and 415 (not JSON).
    static func withCommonAnswers(_ paths: [String: Any]) -> [String: Any] {
        paths.mapValues { item in
            guard var operations = item as? [String: Any] else { return item }
            for (method, value) in operations {
                guard var operation = value as? [String: Any], var responses = operation["responses"] as? [String: Any] else { continue }
                let common = operation["requestBody"] == nil ? ["429"] : ["400", "413", "415", "429"]
                for status in common where responses[status] == nil { responses[status] = ["$ref": "#/components/responses/Problem"] }
                operation["responses"] = responses
                operations[method] = operation
            }
            return operations
        }
    }

    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Amana API",
        "version": "1.0.0",
        "description": "Protection case management (GBV, child protection, general protection). Every error is application/problem+json (RFC 9457) with a stable `type` (urn:amana:problem:<code>) and the request id that is also in the X-Request-ID header."
      },
      "servers": [{"url": "http://127.0.0.1:8080"}],
      "security": [{"bearer": []}],
      "paths": {
        "/health": {
          "get": {
            "operationId": "health", "summary": "Liveness check", "security": [],
            "responses": {"200": {"description": "The server is up", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}}}}}
          }
        },
        "/api/v1/openapi.json": {
          "get": {
            "operationId": "openapi", "summary": "This document", "security": [],
            "responses": {"200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}}
          }
        },
        "/api/v1/sessions": {
          "post": {
            "operationId": "signIn", "summary": "Sign in", "security": [],
            "description": "Unknown usernames and wrong passwords get the same 401. After the configured number of failures (default 5) the username is locked for a while (default 15 minutes): 429 with Retry-After.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignInRequest"}}}},
            "responses": {
              "201": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignInResponse"}}}},
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"},
              "429": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/sessions/current": {
          "delete": {
            "operationId": "signOut", "summary": "Sign out (revoke this token)",
            "responses": {"204": {"description": "Signed out"}, "401": {"$ref": "#/components/responses/Problem"}}
          }
        },
        "/api/v1/me": {
          "get": {
            "operationId": "me", "summary": "The signed-in user",
            "responses": {
              "200": {"description": "The user, role and permissions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}}},
              "401": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/me/password": {
          "put": {
            "operationId": "changePassword", "summary": "Change your password; every session of yours ends",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordChange"}}}},
            "responses": {
              "204": {"description": "Changed; sign in again"},
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"},
              "429": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/users": {
          "get": {
            "operationId": "listUsers", "summary": "Accounts you may see",
            "responses": {
              "200": {"description": "Accounts", "content": {"application/json": {"schema": {"type": "object", "required": ["users"], "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "addUser", "summary": "Add an account (administrators)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewUser"}}}},
            "responses": {
              "201": {"description": "Added", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/teams": {
          "get": {
            "operationId": "listTeams", "summary": "The teams of the agencies whose accounts you may see, with their active members",
            "responses": {
              "200": {"description": "Teams", "content": {"application/json": {"schema": {"type": "object", "required": ["teams"], "properties": {"teams": {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "addTeam", "summary": "Make a team in an agency (whoever may add its accounts)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name"], "properties": {
              "name": {"type": "string", "minLength": 1, "maxLength": 100}, "agency": {"type": "string", "description": "An agency's code; default: your own"}}}}}},
            "responses": {
              "201": {"description": "The team", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Team"}}}},
              "400": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"},
              "413": {"$ref": "#/components/responses/Problem"},
              "415": {"$ref": "#/components/responses/Problem"},
              "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/users/{username}/disable": {
          "post": {
            "operationId": "disableUser", "summary": "Disable an account and end all its sessions",
            "parameters": [{"name": "username", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}],
            "responses": {
              "200": {"description": "Disabled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/forms": {
          "get": {
            "operationId": "listForms", "summary": "The forms this install serves (shipped, as overlaid by the organisation)",
            "parameters": [{"$ref": "#/components/parameters/Lang"}],
            "responses": {
              "200": {"description": "The forms", "content": {"application/json": {"schema": {"type": "object", "required": ["forms"], "properties": {"forms": {"type": "array", "items": {"$ref": "#/components/schemas/FormSummary"}}}}}}},
              "422": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/forms/{namespace}/{name}": {
          "get": {
            "operationId": "readForm", "summary": "A form, to draw it: sections, fields, every language's texts, options and conditions",
            "parameters": [{"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}],
            "responses": {
              "200": {"description": "The form", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FormDocument"}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/forms/{namespace}/{name}/schema": {
          "get": {
            "operationId": "readFormSchema", "summary": "The JSON Schema (draft 2020-12) of a form's submissions",
            "description": "Conditions (show_if, required_if, valid_if) travel as x-amana-* annotations; the server's validation is the authority. The document's x-amana-form-schemas lists the link for every served form.",
            "parameters": [{"$ref": "#/components/parameters/FormNamespace"}, {"$ref": "#/components/parameters/FormName"}, {"$ref": "#/components/parameters/Lang"}],
            "responses": {
              "200": {"description": "The schema", "content": {"application/schema+json": {"schema": {"type": "object"}}}},
              "422": {"$ref": "#/components/responses/Problem"},
              "401": {"$ref": "#/components/responses/Problem"},
              "404": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/definitions/problems": {
          "get": {
            "operationId": "listDefinitionProblems", "summary": "Problems found in the definitions when the install opened (a plugin or overlay not loaded)",
            "responses": {
              "200": {"description": "The problems", "content": {"application/json": {"schema": {"type": "object", "required": ["problems"], "properties": {"problems": {"type": "array", "items": {"$ref": "#/components/schemas/DefinitionProblem"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"},
              "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "The token from POST /api/v1/sessions"}},
        "responses": {
          "Problem": {"description": "An error", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        },
        "parameters": {
          "Lang": {"name": "lang", "in": "query", "required": false, "description": "Language of texts (en, ar); defaults to the user's", "schema": {"type": "string", "enum": ["en", "ar"]}},
          "FormNamespace": {"name": "namespace", "in": "path", "required": true, "description": "The plugin part of the form id (gbv in gbv/incident)", "schema": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}, "example": "core"},
          "FormName": {"name": "name", "in": "path", "required": true, "description": "The name part of the form id", "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}, "example": "registration"}
        },
        "schemas": {
          "Problem": {
            "type": "object", "required": ["type", "title", "status", "detail", "code", "request_id"],
            "properties": {
              "type": {"type": "string", "description": "urn:amana:problem:<code>"},
              "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
              "code": {"type": "string"}, "request_id": {"type": "string"},
              "invalid_params": {"type": "array", "items": {"type": "object", "required": ["name", "reason"], "properties": {"name": {"type": "string", "description": "JSON pointer to the field"}, "reason": {"type": "string"}}}}
            }
          },
          "SignInRequest": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
          "SignInResponse": {
            "type": "object", "required": ["token", "expires_at", "user"],
            "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "user": {"$ref": "#/components/schemas/Me"}}
          },
          "Me": {
            "type": "object", "required": ["id", "username", "display_name", "role", "role_label", "agency_id", "language", "permissions"],
            "properties": {
              "id": {"type": "string"}, "username": {"type": "string"}, "display_name": {"type": "string"},
              "role": {"type": "string"}, "role_label": {"type": "string"}, "agency_id": {"type": "string"},
              "team_id": {"type": "string"}, "language": {"type": "string"},
              "permissions": {"type": "array", "items": {"type": "string", "description": "resource.action:scope"}}
            }
          },
          "PasswordChange": {"type": "object", "required": ["current_password", "new_password"], "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 10}}},
          "Team": {
            "type": "object", "required": ["name", "agency", "members"],
            "properties": {"name": {"type": "string"}, "agency": {"type": "string"}, "members": {"type": "integer", "description": "Active accounts in the team"}}
          },
          "User": {
            "type": "object", "required": ["id", "username", "display_name", "role", "agency", "disabled", "language", "version"],
            "properties": {
              "id": {"type": "string"}, "username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"},
              "agency": {"type": "string"}, "team": {"type": "string"}, "disabled": {"type": "boolean"},
              "language": {"type": "string"}, "version": {"type": "integer"}
            }
          },
          "NewUser": {
            "type": "object", "required": ["username", "role", "password"],
            "properties": {
              "username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string"},
              "agency": {"type": "string", "description": "Agency code; defaults to yours"}, "team": {"type": "string"},
              "password": {"type": "string", "minLength": 10}, "language": {"type": "string"}
            }
          },
          "FormSummary": {
            "type": "object", "required": ["id", "version", "plugin", "title", "overlays"],
            "properties": {"id": {"type": "string"}, "version": {"type": "integer"}, "plugin": {"type": "string"}, "title": {"type": "string"},
                           "overlays": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "Overlaying plugin to overlay version"}}
          },
          "FormDocument": {
            "type": "object", "required": ["id", "version", "plugin", "title", "sensitivity", "overlays", "sections"],
            "properties": {
              "id": {"type": "string"}, "version": {"type": "integer"}, "plugin": {"type": "string"},
              "title": {"$ref": "#/components/schemas/Translations"}, "sensitivity": {"type": "string"},
              "overlays": {"type": "object", "additionalProperties": {"type": "integer"}},
              "sections": {"type": "array", "items": {"type": "object", "required": ["id", "title", "fields"], "properties": {
                "id": {"type": "string"}, "title": {"$ref": "#/components/schemas/Translations"}, "show_if": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "object", "required": ["id", "type", "sensitivity"], "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "sensitivity": {"type": "string"}}}}}}}
            }
          },
          "Translations": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Language code to text"},
          "DefinitionProblem": {
            "type": "object", "required": ["file", "line", "column", "severity", "code", "message"],
            "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "column": {"type": "integer"},
                           "severity": {"type": "string", "enum": ["error", "warning"]}, "code": {"type": "string"}, "message": {"type": "string"}}
          }
        }
      }
    }
    """#
}
