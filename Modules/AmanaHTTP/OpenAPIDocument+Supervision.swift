extension OpenAPIDocument {
    /// Supervision and reporting (issue 9): anonymous statistics; merged into the document by ``combined``.
    static let supervisionJSON = #"""
    {
      "paths": {
        "/api/v1/exports": {
          "post": {
            "operationId": "exportRecords", "summary": "Individual records out of the install (case.export): the forms the exporter may read, each case audited with the purpose; sealed with a passphrase (Argon2id + XChaCha20-Poly1305) unless unencrypted is asked for",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["case_ids", "purpose"], "properties": {
              "case_ids": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 200},
              "forms": {"type": "array", "items": {"type": "string"}},
              "purpose": {"type": "string", "enum": ["legal_request", "person_request", "system_transfer"]},
              "passphrase": {"type": "string", "minLength": 12}, "unencrypted": {"type": "boolean"}}}}}},
            "responses": {
              "200": {"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}, "application/json": {"schema": {"type": "object"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/supervision": {
          "get": {
            "operationId": "supervisionSessions", "summary": "Supervision meetings I may read: those I held, those of the people I supervise, my own (staff=USERNAME narrows)",
            "parameters": [{"name": "staff", "in": "query", "schema": {"type": "string"}}],
            "responses": {
              "200": {"description": "Latest first", "content": {"application/json": {"schema": {"type": "object", "required": ["sessions"], "properties": {"sessions": {"type": "array", "items": {"$ref": "#/components/schemas/SupervisionSession"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}
            }
          },
          "post": {
            "operationId": "recordSupervision", "summary": "Record an individual supervision meeting with someone I supervise (supervisors); its notes sealed, apart from any case",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["staff", "held_on", "notes"], "properties": {"staff": {"type": "string"}, "held_on": {"type": "string", "format": "date"}, "notes": {"$ref": "#/components/schemas/SupervisionNotes"}}}}}},
            "responses": {
              "201": {"description": "Recorded", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SupervisionSession"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/cases/{id}/purge": {
          "post": {
            "operationId": "requestPurge", "summary": "Ask for the case to be purged (its retention period is over, or the person asked for erasure); a supervisor's approval purges it: key destroyed, content deleted and zeroed, WAL emptied",
            "parameters": [{"$ref": "#/components/parameters/CaseID"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "enum": ["retention", "erasure_request"]}}}}}},
            "responses": {
              "201": {"description": "Asked; the approval waits for a supervisor", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Approval"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"},
              "409": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/purges/due": {
          "get": {
            "operationId": "purgesDue", "summary": "Closed cases within my reach whose programme's retention period (config.yaml) is over",
            "responses": {
              "200": {"description": "The cases", "content": {"application/json": {"schema": {"type": "object", "required": ["due"], "properties": {"due": {"type": "array", "items": {"type": "object", "required": ["case_id", "case_number", "programme", "closed_at", "due_since"], "properties": {"case_id": {"type": "string"}, "case_number": {"type": "string"}, "programme": {"type": "string"}, "closed_at": {"type": "string", "format": "date-time"}, "due_since": {"type": "string", "format": "date-time"}}}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/dashboard": {
          "get": {
            "operationId": "dashboard", "summary": "The open cases within my reach (supervisors, team leads): per worker and team, by state and risk, overdue tasks, referrals without an answer, due for closure review, consent overrides",
            "responses": {
              "200": {"description": "The counts", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/consent/overrides": {
          "get": {
            "operationId": "consentOverrides", "summary": "Consent overrides given in the last 90 days on cases I may read (supervisors): case, act, who decided, the reason, whether an act used it",
            "responses": {
              "200": {"description": "The overrides, newest first", "content": {"application/json": {"schema": {"type": "object", "required": ["approvals"], "properties": {"approvals": {"type": "array", "items": {"$ref": "#/components/schemas/Approval"}}}}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/reports/monthly": {
          "get": {
            "operationId": "monthlyReport", "summary": "The month's anonymous report as a printable HTML page: the statistics tables, suppressed, each with a bar chart (report.read)",
            "parameters": [{"name": "month", "in": "query", "required": true, "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"}}],
            "responses": {
              "200": {"description": "The page", "content": {"text/html": {"schema": {"type": "string"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        },
        "/api/v1/statistics": {
          "get": {
            "operationId": "statistics",
            "summary": "Anonymous counts of one form's entries by one or two aggregate answers (or by month), only of cases whose consent allows reporting; counts under 5 read <5, numbers withheld so that these cannot be worked out read x (report.read)",
            "parameters": [
              {"name": "form", "in": "query", "required": true, "schema": {"type": "string"}, "example": "gbv/incident"},
              {"name": "rows", "in": "query", "required": true, "schema": {"type": "string"}, "description": "A top-level aggregate field with one answer (select, place, yes/no, tick)", "example": "violence_type"},
              {"name": "columns", "in": "query", "schema": {"type": "string"}, "description": "A second such field, or month (the month the case was opened)", "example": "survivor_age_band"},
              {"name": "from", "in": "query", "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"}, "description": "First month counted (by the month the case was opened)"},
              {"name": "to", "in": "query", "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"}},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}
            ],
            "responses": {
              "200": {"description": "The table", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/StatisticsTable"}},
                "text/csv": {"schema": {"type": "string"}}}},
              "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "422": {"$ref": "#/components/responses/Problem"}
            }
          }
        }
      },
      "components": {
        "schemas": {
          "StatisticsTable": {
            "type": "object",
            "required": ["form", "form_title", "rows_label", "rows", "columns", "cells", "row_totals", "column_totals", "total", "left_out", "minimum_cell"],
            "properties": {
              "form": {"type": "string"}, "form_title": {"type": "string"}, "rows_label": {"type": "string"}, "columns_label": {"type": "string"},
              "rows": {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsHeading"}},
              "columns": {"type": "array", "items": {"$ref": "#/components/schemas/StatisticsHeading"}},
              "cells": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}, "description": "A count, <5, or x"},
              "row_totals": {"type": "array", "items": {"type": "string"}}, "column_totals": {"type": "array", "items": {"type": "string"}},
              "total": {"type": "string"}, "left_out": {"type": "string", "description": "Entries of cases without consent to reporting, not counted"},
              "minimum_cell": {"type": "integer"}
            }
          },
          "Dashboard": {
            "type": "object",
            "required": ["open_cases", "workers", "teams", "by_state", "by_risk", "overdue_tasks", "referrals_waiting", "due_for_closure_review", "consent_overrides"],
            "properties": {
              "open_cases": {"type": "integer"},
              "workers": {"type": "array", "items": {"$ref": "#/components/schemas/DashboardLoad"}},
              "teams": {"type": "array", "items": {"$ref": "#/components/schemas/DashboardLoad"}},
              "by_state": {"type": "array", "items": {"type": "object", "required": ["programme", "state", "label", "count"], "properties": {"programme": {"type": "string"}, "state": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}}},
              "by_risk": {"type": "object", "additionalProperties": {"type": "integer"}},
              "overdue_tasks": {"type": "integer"}, "referrals_waiting": {"type": "integer"}, "due_for_closure_review": {"type": "integer"}, "consent_overrides": {"type": "integer"}
            }
          },
          "DashboardLoad": {
            "type": "object", "required": ["name", "open", "high_risk", "overdue_tasks", "referrals_waiting", "due_for_closure_review"],
            "properties": {"name": {"type": "string"}, "open": {"type": "integer"}, "high_risk": {"type": "integer"}, "overdue_tasks": {"type": "integer"}, "referrals_waiting": {"type": "integer"}, "due_for_closure_review": {"type": "integer"}}
          },
          "SupervisionNotes": {
            "type": "object", "required": ["discussed"],
            "properties": {"discussed": {"type": "string", "maxLength": 10000}, "wellbeing": {"type": "string"}, "support": {"type": "string"}, "next_meeting": {"type": "string"}}
          },
          "SupervisionSession": {
            "type": "object", "required": ["id", "staff", "supervisor", "held_on", "notes", "created_at"],
            "properties": {"id": {"type": "string"}, "staff": {"type": "string"}, "supervisor": {"type": "string"}, "held_on": {"type": "string", "format": "date"}, "notes": {"$ref": "#/components/schemas/SupervisionNotes"}, "created_at": {"type": "string", "format": "date-time"}}
          },
          "StatisticsHeading": {"type": "object", "required": ["code", "label"], "properties": {"code": {"type": "string"}, "label": {"type": "string"}}}
        }
      }
    }
    """#
}
