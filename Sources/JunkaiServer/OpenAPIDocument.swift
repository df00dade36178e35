/// The OpenAPI 3.1 document of the whole API as the server implements it, served at `/openapi.json`.
///
/// One JSON text so that what is served is exactly what is reviewed; `OpenAPITests` parses it and checks
/// that it lists every path of docs/api.md, and the black-box schemathesis run checks the server against it.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Junkai",
    "version": "1",
    "summary": "Rotation planning for jointly hired external DX staff across neighbouring municipalities.",
    "description": "Plans how external DX staff hired jointly by a consortium (共同任用) of Japanese municipalities rotate across its members.\n\nEvery `/v1` call carries `Authorization: Bearer TOKEN`. The roles are `admin` (everything), `coordinator` (one consortium), `municipality` (one member of one consortium) and `staff` (one staff member). A resource that exists but is outside the caller's scope answers 404, exactly like one that does not exist; a malformed id is simply not found.\n\nEvery 4xx/5xx answer is `application/problem+json` (RFC 9457); a validation failure (422) lists `errors` with a JSON pointer to each wrong field (`/name` for a query parameter `name`). Dates are `YYYY-MM-DD`, local dates in Japan; weekdays are ISO numbers, 1 = Monday … 7 = Sunday; instants are RFC 3339. Ids are UUIDs, except municipality codes (the 6-digit 全国地方公共団体コード with its check digit) and skill ids (chosen by the coordinator).",
    "license": { "name": "Proprietary" }
  },
  "servers": [ { "url": "/" } ],
  "security": [ { "bearerAuth": [] } ],
  "tags": [
    { "name": "service", "description": "Health, readiness and this document (public)." },
    { "name": "consortia", "description": "Consortia (共同任用協定) and their tokens." },
    { "name": "members", "description": "Member municipalities, the skill catalogue and posts." },
    { "name": "staff", "description": "Jointly hired staff and their unavailability." },
    { "name": "requests", "description": "Days requested by municipalities." },
    { "name": "plans", "description": "Plans, background solving, manual edits and publishing." },
    { "name": "schedules", "description": "The published schedule and calendar feeds." },
    { "name": "reference", "description": "The built-in municipality register and the working-day calendar." }
  ],
  "paths": {
    "/healthz": {
      "get": {
        "tags": ["service"], "operationId": "health", "summary": "Liveness: the process answers.",
        "security": [],
        "responses": {
          "200": { "description": "Alive.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HealthStatus" } } } }
        }
      }
    },
    "/readyz": {
      "get": {
        "tags": ["service"], "operationId": "ready", "summary": "Readiness: the database answers and its migrations are current.",
        "security": [],
        "responses": {
          "200": { "description": "Ready.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/HealthStatus" } } } },
          "503": { "$ref": "#/components/responses/ServiceUnavailable" }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "tags": ["service"], "operationId": "openapiJSON", "summary": "This document.",
        "security": [],
        "responses": {
          "200": { "description": "The OpenAPI 3.1 document.", "content": { "application/json": { "schema": { "type": "object" } } } }
        }
      }
    },
    "/openapi.yaml": {
      "get": {
        "tags": ["service"], "operationId": "openapiYAML", "summary": "This document as YAML.",
        "security": [],
        "responses": {
          "200": { "description": "The OpenAPI 3.1 document as YAML 1.2.", "content": { "application/yaml": { "schema": { "type": "object" } } } }
        }
      }
    },
    "/calendars/{feedToken}.ics": {
      "get": {
        "tags": ["schedules"], "operationId": "calendarFeed",
        "summary": "A staff member's published assignments as an iCalendar feed.",
        "description": "Public: the secret in the URL is the credential (calendar applications cannot send bearer tokens). RFC 5545, one all-day VEVENT per published assignment with a stable UID; SEQUENCE rises when an assignment changes; cancelled assignments stay for 90 days with STATUS:CANCELLED. The feed reaches 180 days into the past. Issuing a new feed URL makes the old one answer 404.",
        "security": [],
        "parameters": [
          { "name": "feedToken", "in": "path", "required": true, "description": "The secret of the feed URL.", "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,128}$" } },
          { "$ref": "#/components/parameters/IfNoneMatch" }
        ],
        "responses": {
          "200": {
            "description": "The feed.",
            "headers": { "ETag": { "$ref": "#/components/headers/ETag" } },
            "content": { "text/calendar": { "schema": { "type": "string" } } }
          },
          "304": { "$ref": "#/components/responses/NotModified" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia": {
      "get": {
        "tags": ["consortia"], "operationId": "listConsortia", "summary": "The consortia the caller may see (admin: all; others: their own).",
        "responses": {
          "200": { "description": "The consortia.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Consortium" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" }
        }
      },
      "post": {
        "tags": ["consortia"], "operationId": "createConsortium", "summary": "Create a consortium (admin).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsortiumCreate" } } } },
        "responses": {
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Consortium" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "get": {
        "tags": ["consortia"], "operationId": "getConsortium", "summary": "One consortium (every role of it).",
        "responses": {
          "200": { "description": "The consortium.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Consortium" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "patch": {
        "tags": ["consortia"], "operationId": "updateConsortium",
        "summary": "Rename the consortium or set its closed dates (閉庁日, not working days for planning and requests) (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsortiumPatch" } } } },
        "responses": {
          "200": { "description": "The changed consortium.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Consortium" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/tokens": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["consortia"], "operationId": "issueToken",
        "summary": "Issue a token (admin: any role; coordinator: municipality and staff tokens).",
        "description": "The token is shown once in the answer and stored only as a hash. A `municipality` token needs `municipality` (a member's code), a `staff` token needs `staff` (a staff id of the consortium).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenCreate" } } } },
        "responses": {
          "201": { "description": "Issued.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/IssuedToken" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["consortia"], "operationId": "listTokens", "summary": "The consortium's tokens, revoked ones included, never their secrets (coordinator).",
        "responses": {
          "200": { "description": "The tokens.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/TokenInfo" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/tokens/{tokenId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/tokenId" } ],
      "delete": {
        "tags": ["consortia"], "operationId": "revokeToken",
        "summary": "Revoke a token (admin; a coordinator revokes municipality and staff tokens). It answers 401 from then on.",
        "responses": {
          "204": { "description": "Revoked." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/municipalities": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["members"], "operationId": "addMunicipality",
        "summary": "Add a member by its 全国地方公共団体コード (coordinator).",
        "description": "Name, prefecture, reading and office position are filled from the built-in register; each may be overridden in the body. 409 when the code is already a member; 422 for a bad check digit or a code the register does not list as a municipality.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MunicipalityCreate" } } } },
        "responses": {
          "201": { "description": "Added.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Municipality" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["members"], "operationId": "listMunicipalities", "summary": "The members (coordinator, municipality).",
        "responses": {
          "200": { "description": "The members, by code.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Municipality" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/municipalities/{code}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/memberCode" } ],
      "get": {
        "tags": ["members"], "operationId": "getMunicipality", "summary": "One member (coordinator, municipality).",
        "responses": {
          "200": { "description": "The member.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Municipality" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "delete": {
        "tags": ["members"], "operationId": "removeMunicipality", "summary": "Remove a member without posts (coordinator); 409 while it has posts.",
        "responses": {
          "204": { "description": "Removed." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/municipalities/{code}/schedule": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/memberCode" } ],
      "get": {
        "tags": ["schedules"], "operationId": "municipalitySchedule",
        "summary": "Who comes on which published date (coordinator, that municipality).",
        "description": "Confirmed published assignments at the municipality's posts, by date. Without `from`/`to` the range is a calendar month: `from` defaults to the first day of `to`'s month and `to` to the last day of `from`'s month (the current month in Japan when neither is given). `to` may be at most 400 days after `from`; 422 when it is before it.",
        "parameters": [ { "$ref": "#/components/parameters/rangeFrom" }, { "$ref": "#/components/parameters/rangeTo" }, { "$ref": "#/components/parameters/IfNoneMatch" } ],
        "responses": {
          "200": {
            "description": "The schedule.",
            "headers": { "ETag": { "$ref": "#/components/headers/ETag" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/MunicipalitySchedule" } } }
          },
          "304": { "$ref": "#/components/responses/NotModified" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/skills": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "get": {
        "tags": ["members"], "operationId": "listSkills", "summary": "The skill catalogue (all roles of the consortium).",
        "responses": {
          "200": { "description": "The skills, by id.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Skill" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/skills/{skillId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/skillId" } ],
      "put": {
        "tags": ["members"], "operationId": "putSkill", "summary": "Create or rename a skill of the catalogue (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SkillPut" } } } },
        "responses": {
          "200": { "description": "Renamed.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Skill" } } } },
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Skill" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["members"], "operationId": "getSkill", "summary": "One skill (all roles of the consortium).",
        "responses": {
          "200": { "description": "The skill.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Skill" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "delete": {
        "tags": ["members"], "operationId": "deleteSkill", "summary": "Delete an unused skill (coordinator); 409 while a post or staff member uses it.",
        "responses": {
          "204": { "description": "Deleted." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/posts": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["members"], "operationId": "createPost", "summary": "Create a post at a member municipality (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PostCreate" } } } },
        "responses": {
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Post" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["members"], "operationId": "listPosts", "summary": "The posts (coordinator: all; municipality: its own).",
        "responses": {
          "200": { "description": "The posts.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Post" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/posts/{postId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/postId" } ],
      "get": {
        "tags": ["members"], "operationId": "getPost", "summary": "One post (coordinator; municipality: its own).",
        "responses": {
          "200": { "description": "The post.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Post" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "patch": {
        "tags": ["members"], "operationId": "updatePost", "summary": "Change a post (coordinator); fields left out keep their value.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PostPatch" } } } },
        "responses": {
          "200": { "description": "The changed post.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Post" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "delete": {
        "tags": ["members"], "operationId": "deletePost", "summary": "Delete a post (coordinator).",
        "responses": {
          "204": { "description": "Deleted." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/staff": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["staff"], "operationId": "createStaff", "summary": "Add a staff member (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StaffCreate" } } } },
        "responses": {
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Staff" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["staff"], "operationId": "listStaff", "summary": "The staff (coordinator).",
        "responses": {
          "200": { "description": "The staff.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Staff" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/staff/{staffId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/staffId" } ],
      "get": {
        "tags": ["staff"], "operationId": "getStaff", "summary": "One staff member (coordinator; staff: itself).",
        "responses": {
          "200": { "description": "The staff member.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Staff" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "patch": {
        "tags": ["staff"], "operationId": "updateStaff", "summary": "Change a staff member (coordinator); fields left out keep their value.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StaffPatch" } } } },
        "responses": {
          "200": { "description": "The changed staff member.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Staff" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "delete": {
        "tags": ["staff"], "operationId": "deleteStaff", "summary": "Remove a staff member (coordinator).",
        "responses": {
          "204": { "description": "Removed." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/staff/{staffId}/unavailability": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/staffId" } ],
      "post": {
        "tags": ["staff"], "operationId": "addUnavailability",
        "summary": "Declare a date unavailable (hard) or undesired (soft) (coordinator, that staff member).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UnavailabilityCreate" } } } },
        "responses": {
          "201": { "description": "Declared.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Unavailability" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["staff"], "operationId": "listUnavailability", "summary": "The declared dates (coordinator, that staff member).",
        "parameters": [
          { "name": "from", "in": "query", "required": false, "description": "Only dates on or after this one.", "schema": { "type": "string", "format": "date" } },
          { "name": "to", "in": "query", "required": false, "description": "Only dates on or before this one.", "schema": { "type": "string", "format": "date" } }
        ],
        "responses": {
          "200": { "description": "The dates, ascending.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Unavailability" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/staff/{staffId}/unavailability/{unavailabilityId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/staffId" }, { "$ref": "#/components/parameters/unavailabilityId" } ],
      "delete": {
        "tags": ["staff"], "operationId": "removeUnavailability", "summary": "Remove a declared date (coordinator, that staff member).",
        "responses": {
          "204": { "description": "Removed." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/staff/{staffId}/schedule": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/staffId" } ],
      "get": {
        "tags": ["schedules"], "operationId": "staffSchedule",
        "summary": "The staff member's published assignments, by date (coordinator, that staff member).",
        "description": "Without `from`/`to` the range is a calendar month: `from` defaults to the first day of `to`'s month and `to` to the last day of `from`'s month (the current month in Japan when neither is given). `to` may be at most 400 days after `from`; 422 when it is before it.",
        "parameters": [ { "$ref": "#/components/parameters/rangeFrom" }, { "$ref": "#/components/parameters/rangeTo" }, { "$ref": "#/components/parameters/IfNoneMatch" } ],
        "responses": {
          "200": {
            "description": "The schedule.",
            "headers": { "ETag": { "$ref": "#/components/headers/ETag" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StaffSchedule" } } }
          },
          "304": { "$ref": "#/components/responses/NotModified" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/staff/{staffId}/calendar-feed": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/staffId" } ],
      "post": {
        "tags": ["schedules"], "operationId": "issueCalendarFeed",
        "summary": "Issue a secret iCalendar feed URL (coordinator, that staff member); any earlier URL stops working.",
        "responses": {
          "201": { "description": "Issued; the URL is shown once.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CalendarFeed" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "delete": {
        "tags": ["schedules"], "operationId": "revokeCalendarFeed",
        "summary": "Revoke the feed URL (coordinator, that staff member).",
        "responses": {
          "204": { "description": "Revoked." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/requests": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["requests"], "operationId": "createRequest",
        "summary": "Request a post on a working day (municipality: its own posts; coordinator).",
        "description": "422 when the date is not a working day of the consortium (weekend, national holiday, 年末年始, closed date) or its weekday is not one of the post's `allowedWeekdays`; 409 when an open (submitted or accepted) request for the post on that date exists.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RequestCreate" } } } },
        "responses": {
          "201": { "description": "Submitted.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["requests"], "operationId": "listRequests",
        "summary": "The requests (coordinator: all; municipality: its own), by date.",
        "parameters": [
          { "name": "status", "in": "query", "required": false, "schema": { "$ref": "#/components/schemas/RequestStatus" } },
          { "name": "from", "in": "query", "required": false, "description": "Only requests on or after this date.", "schema": { "type": "string", "format": "date" } },
          { "name": "to", "in": "query", "required": false, "description": "Only requests on or before this date.", "schema": { "type": "string", "format": "date" } },
          { "name": "post", "in": "query", "required": false, "description": "Only requests for this post.", "schema": { "type": "string", "format": "uuid" } }
        ],
        "responses": {
          "200": { "description": "The requests.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Request" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/requests/{rid}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/rid" } ],
      "get": {
        "tags": ["requests"], "operationId": "getRequest", "summary": "One request (coordinator; municipality: its own).",
        "responses": {
          "200": { "description": "The request.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      },
      "delete": {
        "tags": ["requests"], "operationId": "withdrawRequest",
        "summary": "Withdraw a request while no published assignment fulfils it (the municipality that made it, coordinator).",
        "responses": {
          "204": { "description": "Withdrawn." },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/requests/{rid}/accept": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/rid" } ],
      "post": {
        "tags": ["requests"], "operationId": "acceptRequest",
        "summary": "Accept a submitted or declined request (coordinator); accepted requests enter planning with their kind.",
        "responses": {
          "200": { "description": "Accepted.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" }
        }
      }
    },
    "/v1/consortia/{cid}/requests/{rid}/decline": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/rid" } ],
      "post": {
        "tags": ["requests"], "operationId": "declineRequest", "summary": "Decline a submitted or accepted request with a reason (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RequestDecline" } } } },
        "responses": {
          "200": { "description": "Declined.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Request" } } } },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/plans": {
      "parameters": [ { "$ref": "#/components/parameters/cid" } ],
      "post": {
        "tags": ["plans"], "operationId": "createPlan", "summary": "Create an empty draft plan over a period of at most 53 weeks (coordinator).",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PlanCreate" } } } },
        "responses": {
          "201": {
            "description": "Created.",
            "headers": { "ETag": { "$ref": "#/components/headers/PlanVersion" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "get": {
        "tags": ["plans"], "operationId": "listPlans", "summary": "The plans, newest first, without their assignments (coordinator).",
        "responses": {
          "200": { "description": "The plans.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Plan" } } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" } ],
      "get": {
        "tags": ["plans"], "operationId": "getPlan", "summary": "A plan with its score, assignments and latest solve (coordinator).",
        "responses": {
          "200": {
            "description": "The plan; ETag is its version.",
            "headers": { "ETag": { "$ref": "#/components/headers/PlanVersion" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}/instance": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" } ],
      "get": {
        "tags": ["plans"], "operationId": "getPlanInstance",
        "summary": "The plan's planning problem as `junkai.instance/1` (coordinator), for `junkai solve` and `junkai score`.",
        "responses": {
          "200": { "description": "The instance; ids are the API's ids.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Instance" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}/solve": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" } ],
      "post": {
        "tags": ["plans"], "operationId": "solvePlan",
        "summary": "Solve a draft or solved plan in the background (coordinator).",
        "description": "The job is queued in the database: it survives the client going away, any server instance may run it, and every instance reports it. Poll `GET …/plans/{pid}` (status `solving` → `solved`) or the job. 409 while the plan is solving, published or superseded.",
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SolveOptions" } } } },
        "responses": {
          "202": {
            "description": "Queued.",
            "headers": { "Location": { "description": "The plan.", "schema": { "type": "string" } } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SolveAccepted" } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}/solve/{jobId}": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" }, { "$ref": "#/components/parameters/jobId" } ],
      "get": {
        "tags": ["plans"], "operationId": "getSolveJob", "summary": "One solve job of the plan, with its progress (coordinator).",
        "responses": {
          "200": { "description": "The job.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SolveJob" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}/assignments/{postId}/{date}": {
      "parameters": [
        { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" }, { "$ref": "#/components/parameters/postId" },
        { "name": "date", "in": "path", "required": true, "description": "The date of the seat (YYYY-MM-DD); a malformed date answers 422.", "schema": { "type": "string", "format": "date" } },
        { "$ref": "#/components/parameters/IfMatchOptional" }
      ],
      "put": {
        "tags": ["plans"], "operationId": "assignSeat",
        "summary": "Put a staff member on a post on a date of a draft or solved plan (coordinator); pinned by default.",
        "description": "Refused with 409 when the change would break a hard rule that the plan did not already break, or when the plan is solving, published or superseded. Raises the plan's version.",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AssignmentPut" } } } },
        "responses": {
          "200": {
            "description": "The changed plan.",
            "headers": { "ETag": { "$ref": "#/components/headers/PlanVersion" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } }
          },
          "400": { "$ref": "#/components/responses/BadRequest" },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "412": { "$ref": "#/components/responses/PreconditionFailed" },
          "413": { "$ref": "#/components/responses/ContentTooLarge" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      },
      "delete": {
        "tags": ["plans"], "operationId": "clearSeat",
        "summary": "Leave a post empty on a date of a draft or solved plan (coordinator).",
        "responses": {
          "200": {
            "description": "The changed plan.",
            "headers": { "ETag": { "$ref": "#/components/headers/PlanVersion" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "412": { "$ref": "#/components/responses/PreconditionFailed" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/consortia/{cid}/plans/{pid}/publish": {
      "parameters": [ { "$ref": "#/components/parameters/cid" }, { "$ref": "#/components/parameters/pid" } ],
      "post": {
        "tags": ["plans"], "operationId": "publishPlan",
        "summary": "Publish the reviewed version of a plan (coordinator).",
        "description": "`If-Match: \"VERSION\"` must name the plan's current version (412 otherwise, 428 without it). The plan's assignments replace the published schedule on the dates of its period: dropped ones are cancelled (and stay in calendar feeds as cancelled), earlier published plans inside the period become superseded. 409 when the plan has no assignments, is solving, is already published or superseded, or breaks a hard rule; nothing changes then.",
        "parameters": [ { "$ref": "#/components/parameters/IfMatch" } ],
        "responses": {
          "200": {
            "description": "Published; `publication` says what changed.",
            "headers": { "ETag": { "$ref": "#/components/headers/PlanVersion" } },
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } }
          },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "403": { "$ref": "#/components/responses/Forbidden" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "409": { "$ref": "#/components/responses/Conflict" },
          "412": { "$ref": "#/components/responses/PreconditionFailed" },
          "428": { "$ref": "#/components/responses/PreconditionRequired" }
        }
      }
    },
    "/v1/register/municipalities/{code}": {
      "get": {
        "tags": ["reference"], "operationId": "registerEntry", "summary": "One entry of the built-in 全国地方公共団体コード register (any token).",
        "parameters": [
          { "name": "code", "in": "path", "required": true, "description": "A 6-digit code with its check digit; a malformed code or a wrong check digit answers 422.", "schema": { "type": "string", "pattern": "^[0-9]{6}$" }, "example": "292010" }
        ],
        "responses": {
          "200": { "description": "The entry.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RegisterEntry" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/register/municipalities": {
      "get": {
        "tags": ["reference"], "operationId": "searchRegister", "summary": "Search the register by code prefix, name or reading (any token).",
        "parameters": [
          { "name": "q", "in": "query", "required": true, "description": "A code prefix, a name or a reading in hiragana.", "schema": { "type": "string", "minLength": 1, "maxLength": 100, "pattern": "\\S" }, "example": "奈良" },
          { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 200, "default": 20 } }
        ],
        "responses": {
          "200": { "description": "The best matches first.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RegisterSearch" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    },
    "/v1/calendar/working-days": {
      "get": {
        "tags": ["reference"], "operationId": "workingDays",
        "summary": "Every date of a range with whether it is a working day and why not (any token).",
        "description": "A working day is Monday to Friday, not a national holiday (国民の祝日, 振替休日, 国民の休日), not December 29 to January 3 (行政機関の休日) and, with `consortium`, not one of that consortium's closed dates. `to` may be at most 400 days after `from`.",
        "parameters": [
          { "name": "from", "in": "query", "required": true, "schema": { "type": "string", "format": "date" }, "example": "2027-04-01" },
          { "name": "to", "in": "query", "required": true, "schema": { "type": "string", "format": "date" }, "example": "2027-04-30" },
          { "name": "consortium", "in": "query", "required": false, "description": "Also apply this consortium's closed dates (the caller's own consortium; admin: any).", "schema": { "type": "string", "format": "uuid" } }
        ],
        "responses": {
          "200": { "description": "The dates.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WorkingDays" } } } },
          "401": { "$ref": "#/components/responses/Unauthorized" },
          "404": { "$ref": "#/components/responses/NotFound" },
          "422": { "$ref": "#/components/responses/Unprocessable" }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http", "scheme": "bearer",
        "description": "An opaque token (256 random bits) issued by `POST /v1/consortia/{cid}/tokens` or `junkai token issue`; revocable."
      }
    },
    "parameters": {
      "cid": { "name": "cid", "in": "path", "required": true, "description": "The consortium.", "schema": { "type": "string", "format": "uuid" } },
      "tokenId": { "name": "tokenId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
      "postId": { "name": "postId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
      "staffId": { "name": "staffId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
      "unavailabilityId": { "name": "unavailabilityId", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
      "rid": { "name": "rid", "in": "path", "required": true, "description": "The request.", "schema": { "type": "string", "format": "uuid" } },
      "pid": { "name": "pid", "in": "path", "required": true, "description": "The plan.", "schema": { "type": "string", "format": "uuid" } },
      "jobId": { "name": "jobId", "in": "path", "required": true, "description": "The solve job.", "schema": { "type": "string", "format": "uuid" } },
      "memberCode": { "name": "code", "in": "path", "required": true, "description": "A member's 全国地方公共団体コード.", "schema": { "$ref": "#/components/schemas/MunicipalityCode" } },
      "skillId": { "name": "skillId", "in": "path", "required": true, "schema": { "$ref": "#/components/schemas/SkillId" } },
      "rangeFrom": { "name": "from", "in": "query", "required": false, "description": "First date (default: the first day of `to`'s month).", "schema": { "type": "string", "format": "date" } },
      "rangeTo": { "name": "to", "in": "query", "required": false, "description": "Last date (default: the last day of `from`'s month).", "schema": { "type": "string", "format": "date" } },
      "IfNoneMatch": { "name": "If-None-Match", "in": "header", "required": false, "description": "An ETag from an earlier answer: 304 when nothing changed.", "schema": { "type": "string" } },
      "IfMatch": { "name": "If-Match", "in": "header", "required": true, "description": "The plan version reviewed, as its ETag: `\"7\"`.", "schema": { "type": "string" }, "example": "\"1\"" },
      "IfMatchOptional": { "name": "If-Match", "in": "header", "required": false, "description": "When given, the plan version the change is based on (`\"7\"`): 412 when the plan has moved on.", "schema": { "type": "string" } }
    },
    "headers": {
      "ETag": { "description": "A strong validator of the representation.", "schema": { "type": "string" } },
      "PlanVersion": { "description": "The plan's version as an entity tag, e.g. `\"3\"`; send it back in If-Match.", "schema": { "type": "string", "pattern": "^\"[0-9]+\"$" } }
    },
    "schemas": {
      "HealthStatus": {
        "type": "object",
        "required": ["status"],
        "properties": {
          "status": { "type": "string", "enum": ["ok", "ready"] },
          "database": { "type": "string" },
          "migrations": { "type": "string" },
          "changeNotifications": { "type": "string", "enum": ["listening", "paused"], "description": "Whether this server hears the database's change notifications; while paused it caches nothing and reads every answer from the database." }
        }
      },
      "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
          "type": { "type": "string", "examples": ["about:blank"] },
          "title": { "type": "string" },
          "status": { "type": "integer", "minimum": 400, "maximum": 599 },
          "detail": { "type": "string" },
          "errors": { "type": "array", "items": { "$ref": "#/components/schemas/FieldError" } }
        }
      },
      "FieldError": {
        "type": "object",
        "required": ["pointer", "detail"],
        "properties": {
          "pointer": { "type": "string", "description": "RFC 6901 JSON pointer into the request body (`/name` for a query or path parameter).", "examples": ["/posts/0/daysPerWeek"] },
          "detail": { "type": "string" }
        }
      },
      "Uuid": { "type": "string", "format": "uuid" },
      "Date": { "type": "string", "format": "date", "description": "A local date in Japan, YYYY-MM-DD.", "examples": ["2027-04-01"] },
      "Instant": { "type": "string", "format": "date-time" },
      "MunicipalityCode": {
        "type": "string", "pattern": "^[0-9]{6}$",
        "description": "全国地方公共団体コード: 5 digits and a check digit.", "examples": ["292010"]
      },
      "SkillId": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", "examples": ["pm"] },
      "Weekday": { "type": "integer", "minimum": 1, "maximum": 7, "description": "ISO weekday, 1 = Monday … 7 = Sunday." },
      "Weekdays": { "type": "array", "items": { "$ref": "#/components/schemas/Weekday" }, "description": "ISO weekdays; repeats are ignored." },
      "WeekdaySet": { "type": "array", "items": { "$ref": "#/components/schemas/Weekday" }, "uniqueItems": true, "maxItems": 7, "description": "ISO weekdays, ascending." },
      "Level": { "type": "integer", "minimum": 1, "maximum": 5 },
      "SkillLevels": {
        "type": "object",
        "description": "Skill id → level 1–5; every skill must be in the consortium's catalogue.",
        "propertyNames": { "$ref": "#/components/schemas/SkillId" },
        "additionalProperties": { "$ref": "#/components/schemas/Level" },
        "examples": [ { "pm": 3 } ]
      },
      "GeoPoint": {
        "type": "object",
        "required": ["lat", "lon"],
        "properties": {
          "lat": { "type": "number", "minimum": -90, "maximum": 90 },
          "lon": { "type": "number", "minimum": -180, "maximum": 180 }
        }
      },
      "Period": {
        "type": "object",
        "required": ["start", "end"],
        "description": "Both ends inclusive; `end` not before `start`.",
        "properties": { "start": { "$ref": "#/components/schemas/Date" }, "end": { "$ref": "#/components/schemas/Date" } }
      },
      "Name": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S", "description": "1–200 characters, not only spaces." },
      "ConsortiumCreate": {
        "type": "object",
        "required": ["name"],
        "properties": { "name": { "$ref": "#/components/schemas/Name" } }
      },
      "ConsortiumPatch": {
        "type": "object",
        "properties": {
          "name": { "$ref": "#/components/schemas/Name" },
          "closedDates": { "type": "array", "maxItems": 1000, "items": { "$ref": "#/components/schemas/Date" }, "description": "Replaces the whole list." }
        }
      },
      "Consortium": {
        "type": "object",
        "required": ["id", "name", "closedDates", "createdAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "name": { "type": "string" },
          "closedDates": { "type": "array", "items": { "$ref": "#/components/schemas/Date" } },
          "createdAt": { "$ref": "#/components/schemas/Instant" }
        }
      },
      "Role": { "type": "string", "enum": ["admin", "coordinator", "municipality", "staff"] },
      "TokenCreate": {
        "type": "object",
        "required": ["role"],
        "properties": {
          "role": { "type": "string", "enum": ["coordinator", "municipality", "staff"] },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "label": { "type": "string", "maxLength": 200 }
        }
      },
      "IssuedToken": {
        "type": "object",
        "required": ["id", "token", "role"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "token": { "type": "string", "description": "The secret; shown only here." },
          "role": { "$ref": "#/components/schemas/Role" },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "label": { "type": "string" }
        }
      },
      "TokenInfo": {
        "type": "object",
        "required": ["id", "role", "createdAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "role": { "$ref": "#/components/schemas/Role" },
          "label": { "type": "string" },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "revokedAt": { "$ref": "#/components/schemas/Instant" }
        }
      },
      "MunicipalityCreate": {
        "type": "object",
        "required": ["code"],
        "properties": {
          "code": { "$ref": "#/components/schemas/MunicipalityCode" },
          "name": { "$ref": "#/components/schemas/Name" },
          "prefecture": { "$ref": "#/components/schemas/Name" },
          "kana": { "$ref": "#/components/schemas/Name" },
          "lat": { "type": "number", "minimum": -90, "maximum": 90 },
          "lon": { "type": "number", "minimum": -180, "maximum": 180 }
        }
      },
      "Municipality": {
        "type": "object",
        "required": ["code", "name", "prefecture", "kana", "lat", "lon"],
        "properties": {
          "code": { "$ref": "#/components/schemas/MunicipalityCode" },
          "name": { "type": "string" },
          "prefecture": { "type": "string" },
          "kana": { "type": "string" },
          "lat": { "type": "number" },
          "lon": { "type": "number" }
        }
      },
      "SkillPut": {
        "type": "object",
        "required": ["name"],
        "properties": { "name": { "$ref": "#/components/schemas/Name" } }
      },
      "Skill": {
        "type": "object",
        "required": ["id", "name"],
        "properties": { "id": { "$ref": "#/components/schemas/SkillId" }, "name": { "type": "string" } }
      },
      "PostCreate": {
        "type": "object",
        "required": ["municipality", "title", "requirements", "daysPerWeek"],
        "properties": {
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "title": { "$ref": "#/components/schemas/Name" },
          "requirements": { "$ref": "#/components/schemas/SkillLevels" },
          "daysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "allowedWeekdays": { "allOf": [ { "$ref": "#/components/schemas/Weekdays" } ], "minItems": 1, "description": "Default Monday to Friday." },
          "preferredWeekdays": { "allOf": [ { "$ref": "#/components/schemas/Weekdays" } ], "description": "Default none (no preference)." }
        }
      },
      "PostPatch": {
        "type": "object",
        "properties": {
          "title": { "$ref": "#/components/schemas/Name" },
          "requirements": { "$ref": "#/components/schemas/SkillLevels" },
          "daysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "allowedWeekdays": { "allOf": [ { "$ref": "#/components/schemas/Weekdays" } ], "minItems": 1 },
          "preferredWeekdays": { "$ref": "#/components/schemas/Weekdays" }
        }
      },
      "Post": {
        "type": "object",
        "required": ["id", "municipality", "title", "requirements", "daysPerWeek", "allowedWeekdays", "preferredWeekdays", "createdAt", "updatedAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "title": { "type": "string" },
          "requirements": { "$ref": "#/components/schemas/SkillLevels" },
          "daysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "allowedWeekdays": { "$ref": "#/components/schemas/WeekdaySet" },
          "preferredWeekdays": { "$ref": "#/components/schemas/WeekdaySet" },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "updatedAt": { "$ref": "#/components/schemas/Instant" }
        }
      },
      "StaffCreate": {
        "type": "object",
        "required": ["name", "home", "skills", "maxDaysPerWeek"],
        "properties": {
          "name": { "$ref": "#/components/schemas/Name" },
          "home": { "$ref": "#/components/schemas/GeoPoint" },
          "skills": { "$ref": "#/components/schemas/SkillLevels" },
          "maxDaysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "targetDaysPerWeek": { "type": "integer", "minimum": 0, "maximum": 5, "description": "At most maxDaysPerWeek; default maxDaysPerWeek." },
          "availableWeekdays": { "allOf": [ { "$ref": "#/components/schemas/Weekdays" } ], "description": "Default Monday to Friday." },
          "maxTravelKm": { "type": "integer", "minimum": 0, "maximum": 2147483647, "description": "Default: no limit." }
        }
      },
      "StaffPatch": {
        "type": "object",
        "properties": {
          "name": { "$ref": "#/components/schemas/Name" },
          "home": { "$ref": "#/components/schemas/GeoPoint" },
          "skills": { "$ref": "#/components/schemas/SkillLevels" },
          "maxDaysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "targetDaysPerWeek": { "type": ["integer", "null"], "minimum": 0, "maximum": 5, "description": "At most maxDaysPerWeek; null: back to maxDaysPerWeek." },
          "availableWeekdays": { "$ref": "#/components/schemas/Weekdays" },
          "maxTravelKm": { "type": ["integer", "null"], "minimum": 0, "maximum": 2147483647, "description": "null: no limit." }
        }
      },
      "Staff": {
        "type": "object",
        "required": ["id", "name", "home", "skills", "maxDaysPerWeek", "targetDaysPerWeek", "availableWeekdays", "maxTravelKm", "createdAt", "updatedAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "name": { "type": "string" },
          "home": { "$ref": "#/components/schemas/GeoPoint" },
          "skills": { "$ref": "#/components/schemas/SkillLevels" },
          "maxDaysPerWeek": { "type": "integer", "minimum": 1, "maximum": 5 },
          "targetDaysPerWeek": { "type": "integer", "minimum": 0, "maximum": 5, "description": "The effective weekly target (maxDaysPerWeek when none is set)." },
          "availableWeekdays": { "$ref": "#/components/schemas/WeekdaySet" },
          "maxTravelKm": { "type": ["integer", "null"], "minimum": 0, "description": "null: no travel limit." },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "updatedAt": { "$ref": "#/components/schemas/Instant" }
        }
      },
      "UnavailabilityKind": { "type": "string", "enum": ["unavailable", "undesired"], "description": "`unavailable` is a hard rule (H4), `undesired` a soft preference." },
      "UnavailabilityCreate": {
        "type": "object",
        "required": ["date", "kind"],
        "properties": {
          "date": { "$ref": "#/components/schemas/Date" },
          "kind": { "$ref": "#/components/schemas/UnavailabilityKind" },
          "note": { "type": "string", "maxLength": 1000 }
        }
      },
      "Unavailability": {
        "type": "object",
        "required": ["id", "date", "kind"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "date": { "$ref": "#/components/schemas/Date" },
          "kind": { "$ref": "#/components/schemas/UnavailabilityKind" },
          "note": { "type": "string" }
        }
      },
      "RequestKind": { "type": "string", "enum": ["required", "preferred"] },
      "RequestStatus": { "type": "string", "enum": ["submitted", "accepted", "declined", "withdrawn"] },
      "RequestCreate": {
        "type": "object",
        "required": ["post", "date", "kind"],
        "properties": {
          "post": { "$ref": "#/components/schemas/Uuid" },
          "date": { "$ref": "#/components/schemas/Date" },
          "kind": { "$ref": "#/components/schemas/RequestKind" },
          "note": { "type": "string", "maxLength": 1000 }
        }
      },
      "RequestDecline": {
        "type": "object",
        "required": ["reason"],
        "properties": { "reason": { "type": "string", "minLength": 1, "maxLength": 1000, "pattern": "\\S" } }
      },
      "Request": {
        "type": "object",
        "required": ["id", "post", "municipality", "date", "kind", "note", "status", "declineReason", "fulfilled", "createdAt", "updatedAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "post": { "$ref": "#/components/schemas/Uuid" },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "date": { "$ref": "#/components/schemas/Date" },
          "kind": { "$ref": "#/components/schemas/RequestKind" },
          "note": { "type": ["string", "null"] },
          "status": { "$ref": "#/components/schemas/RequestStatus" },
          "declineReason": { "type": ["string", "null"] },
          "fulfilled": { "type": "boolean", "description": "A confirmed published assignment staffs the post on that date." },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "updatedAt": { "$ref": "#/components/schemas/Instant" }
        }
      },
      "PlanCreate": {
        "type": "object",
        "required": ["period"],
        "properties": {
          "period": { "$ref": "#/components/schemas/Period" },
          "name": { "type": "string", "minLength": 1, "maxLength": 200, "description": "Default: the period, e.g. 2027-04-01〜2027-06-30." }
        }
      },
      "PlanStatus": { "type": "string", "enum": ["draft", "solving", "solved", "published", "superseded"] },
      "TermScore": {
        "type": "object",
        "required": ["count", "value"],
        "properties": { "count": { "type": "integer" }, "value": { "type": "integer" } }
      },
      "PlanAssignment": {
        "type": "object",
        "required": ["staff", "post", "municipality", "date", "pinned"],
        "properties": {
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "post": { "$ref": "#/components/schemas/Uuid" },
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "date": { "$ref": "#/components/schemas/Date" },
          "pinned": { "type": "boolean" }
        }
      },
      "SolveJob": {
        "type": "object",
        "required": ["id", "status", "seconds", "seed", "attempts", "progress", "createdAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "status": { "type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"] },
          "seconds": { "type": "number" },
          "seed": { "type": "integer" },
          "attempts": { "type": "integer", "minimum": 0 },
          "progress": {
            "type": "array",
            "description": "The best objective over time.",
            "items": {
              "type": "object",
              "required": ["elapsed", "objective"],
              "properties": { "elapsed": { "type": "number" }, "objective": { "type": "integer" } }
            }
          },
          "error": { "type": ["string", "null"] },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "startedAt": { "type": ["string", "null"], "format": "date-time" },
          "finishedAt": { "type": ["string", "null"], "format": "date-time" }
        }
      },
      "PublishSummary": {
        "type": "object",
        "required": ["inserted", "reconfirmed", "cancelled", "superseded"],
        "properties": {
          "inserted": { "type": "integer", "minimum": 0, "description": "Assignments published for the first time." },
          "reconfirmed": { "type": "integer", "minimum": 0, "description": "Cancelled assignments confirmed again." },
          "cancelled": { "type": "integer", "minimum": 0, "description": "Published assignments in the period the plan dropped." },
          "superseded": { "type": "array", "items": { "$ref": "#/components/schemas/Uuid" }, "description": "Earlier published plans inside the period." }
        }
      },
      "Plan": {
        "type": "object",
        "required": ["id", "name", "status", "version", "period", "objective", "terms", "assignmentCount", "solve", "createdAt", "updatedAt", "publishedAt"],
        "properties": {
          "id": { "$ref": "#/components/schemas/Uuid" },
          "name": { "type": "string" },
          "status": { "$ref": "#/components/schemas/PlanStatus" },
          "version": { "type": "integer", "minimum": 1, "description": "Raised by every change of the assignments; send it in If-Match." },
          "period": { "$ref": "#/components/schemas/Period" },
          "objective": { "type": ["integer", "null"], "description": "The score of rotation-model.md (lower is better); null before the first solve or edit." },
          "terms": {
            "type": ["object", "null"],
            "description": "Every objective term's count and weighted value.",
            "additionalProperties": { "$ref": "#/components/schemas/TermScore" }
          },
          "assignments": { "type": "array", "items": { "$ref": "#/components/schemas/PlanAssignment" }, "description": "Absent in the list of plans." },
          "assignmentCount": { "type": "integer", "minimum": 0 },
          "solve": { "oneOf": [ { "$ref": "#/components/schemas/SolveJob" }, { "type": "null" } ], "description": "The latest solve job." },
          "createdAt": { "$ref": "#/components/schemas/Instant" },
          "updatedAt": { "$ref": "#/components/schemas/Instant" },
          "publishedAt": { "type": ["string", "null"], "format": "date-time" },
          "publication": { "$ref": "#/components/schemas/PublishSummary" }
        }
      },
      "SolveOptions": {
        "type": "object",
        "properties": {
          "seconds": { "type": "number", "minimum": 1, "maximum": 600, "default": 30, "description": "The time budget." },
          "seed": { "type": "integer", "minimum": 0, "maximum": 9223372036854775807, "default": 1 }
        }
      },
      "SolveAccepted": {
        "type": "object",
        "required": ["plan", "job"],
        "properties": { "plan": { "$ref": "#/components/schemas/Plan" }, "job": { "$ref": "#/components/schemas/SolveJob" } }
      },
      "AssignmentPut": {
        "type": "object",
        "required": ["staff"],
        "properties": {
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "pinned": { "type": "boolean", "default": true, "description": "A pinned assignment is kept by later solves (H8)." }
        }
      },
      "Instance": {
        "type": "object",
        "description": "The `junkai.instance/1` format of rotation-model.md.",
        "required": ["format", "name", "period", "closedDates", "weights", "skills", "municipalities", "posts", "staff", "requests", "pinned", "baseline"],
        "properties": {
          "format": { "const": "junkai.instance/1" },
          "name": { "type": "string" },
          "period": { "$ref": "#/components/schemas/Period" },
          "closedDates": { "type": "array", "items": { "$ref": "#/components/schemas/Date" } },
          "weights": { "type": "object", "additionalProperties": { "type": "integer" } },
          "skills": { "type": "array", "items": { "$ref": "#/components/schemas/Skill" } },
          "municipalities": {
            "type": "array",
            "items": {
              "type": "object", "required": ["code", "name", "lat", "lon"],
              "properties": { "code": { "type": "string" }, "name": { "type": "string" }, "lat": { "type": "number" }, "lon": { "type": "number" } }
            }
          },
          "posts": {
            "type": "array",
            "items": {
              "type": "object", "required": ["id", "municipality", "title", "requirements", "daysPerWeek", "allowedWeekdays", "preferredWeekdays"],
              "properties": {
                "id": { "type": "string" }, "municipality": { "type": "string" }, "title": { "type": "string" },
                "requirements": { "type": "object", "additionalProperties": { "type": "integer" } },
                "daysPerWeek": { "type": "integer" },
                "allowedWeekdays": { "type": "array", "items": { "type": "integer" } },
                "preferredWeekdays": { "type": "array", "items": { "type": "integer" } }
              }
            }
          },
          "staff": {
            "type": "array",
            "items": {
              "type": "object", "required": ["id", "name", "home", "skills", "maxDaysPerWeek", "targetDaysPerWeek", "availableWeekdays", "unavailableDates", "undesiredDates"],
              "properties": {
                "id": { "type": "string" }, "name": { "type": "string" }, "home": { "$ref": "#/components/schemas/GeoPoint" },
                "skills": { "type": "object", "additionalProperties": { "type": "integer" } },
                "maxDaysPerWeek": { "type": "integer" }, "targetDaysPerWeek": { "type": "integer" },
                "availableWeekdays": { "type": "array", "items": { "type": "integer" } },
                "maxTravelKm": { "type": "integer" },
                "unavailableDates": { "type": "array", "items": { "$ref": "#/components/schemas/Date" } },
                "undesiredDates": { "type": "array", "items": { "$ref": "#/components/schemas/Date" } }
              }
            }
          },
          "requests": {
            "type": "array",
            "items": {
              "type": "object", "required": ["post", "date", "kind"],
              "properties": { "post": { "type": "string" }, "date": { "$ref": "#/components/schemas/Date" }, "kind": { "$ref": "#/components/schemas/RequestKind" } }
            }
          },
          "pinned": { "type": "array", "items": { "$ref": "#/components/schemas/InstanceAssignment" } },
          "baseline": { "type": "array", "items": { "$ref": "#/components/schemas/InstanceAssignment" } }
        }
      },
      "InstanceAssignment": {
        "type": "object", "required": ["staff", "post", "date"],
        "properties": { "staff": { "type": "string" }, "post": { "type": "string" }, "date": { "$ref": "#/components/schemas/Date" } }
      },
      "StaffSchedule": {
        "type": "object",
        "required": ["staff", "from", "to", "assignments"],
        "properties": {
          "staff": { "$ref": "#/components/schemas/Uuid" },
          "from": { "$ref": "#/components/schemas/Date" },
          "to": { "$ref": "#/components/schemas/Date" },
          "assignments": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["date", "post", "postTitle", "municipality", "municipalityName", "lat", "lon"],
              "properties": {
                "date": { "$ref": "#/components/schemas/Date" },
                "post": { "$ref": "#/components/schemas/Uuid" },
                "postTitle": { "type": "string" },
                "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
                "municipalityName": { "type": "string" },
                "lat": { "type": "number" },
                "lon": { "type": "number" }
              }
            }
          }
        }
      },
      "MunicipalitySchedule": {
        "type": "object",
        "required": ["municipality", "from", "to", "assignments"],
        "properties": {
          "municipality": { "$ref": "#/components/schemas/MunicipalityCode" },
          "from": { "$ref": "#/components/schemas/Date" },
          "to": { "$ref": "#/components/schemas/Date" },
          "assignments": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["date", "post", "postTitle", "staff", "staffName"],
              "properties": {
                "date": { "$ref": "#/components/schemas/Date" },
                "post": { "$ref": "#/components/schemas/Uuid" },
                "postTitle": { "type": "string" },
                "staff": { "$ref": "#/components/schemas/Uuid" },
                "staffName": { "type": "string" }
              }
            }
          }
        }
      },
      "CalendarFeed": {
        "type": "object",
        "required": ["url"],
        "properties": { "url": { "type": "string", "format": "uri", "description": "`…/calendars/{secret}.ics`; subscribe to it in a calendar application." } }
      },
      "RegisterEntry": {
        "type": "object",
        "required": ["code", "prefecture", "name", "kana", "kind", "url", "lat", "lon"],
        "properties": {
          "code": { "$ref": "#/components/schemas/MunicipalityCode" },
          "prefecture": { "type": "string" },
          "name": { "type": "string", "description": "A 政令市の区 is written \"札幌市 中央区\"." },
          "kana": { "type": "string" },
          "kind": { "type": "string", "enum": ["prefecture", "city", "town", "village", "special-ward", "ward"] },
          "url": { "type": "string", "description": "The official web site; may be empty." },
          "lat": { "type": "number" },
          "lon": { "type": "number" }
        }
      },
      "RegisterSearch": {
        "type": "object",
        "required": ["q", "limit", "items"],
        "properties": {
          "q": { "type": "string" },
          "limit": { "type": "integer" },
          "items": { "type": "array", "items": { "$ref": "#/components/schemas/RegisterEntry" } }
        }
      },
      "WorkingDays": {
        "type": "object",
        "required": ["from", "to", "workingDayCount", "days"],
        "properties": {
          "from": { "$ref": "#/components/schemas/Date" },
          "to": { "$ref": "#/components/schemas/Date" },
          "consortium": { "$ref": "#/components/schemas/Uuid" },
          "workingDayCount": { "type": "integer", "minimum": 0 },
          "days": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["date", "working"],
              "properties": {
                "date": { "$ref": "#/components/schemas/Date" },
                "working": { "type": "boolean" },
                "kind": { "type": "string", "enum": ["weekend", "holiday", "yearEnd", "closed"], "description": "Absent on a working day." },
                "reason": { "type": "string", "description": "Why the day is not working: the holiday's name, 年末年始, 週末, 閉庁日. Absent on a working day.", "examples": ["昭和の日"] }
              }
            }
          }
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The body is missing or not JSON.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "Unauthorized": {
        "description": "No token, or an unknown or revoked one.",
        "headers": { "WWW-Authenticate": { "schema": { "type": "string" } } },
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "Forbidden": {
        "description": "The caller's role may not do this.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "NotFound": {
        "description": "Not found, or outside the caller's scope.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "Conflict": {
        "description": "Conflicts with the current state (duplicate, hard-rule break, wrong plan status).",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "PreconditionFailed": {
        "description": "`If-Match` does not name the current version.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "PreconditionRequired": {
        "description": "`If-Match` is required.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "ContentTooLarge": {
        "description": "The body is larger than 1 MiB.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "Unprocessable": {
        "description": "Well-formed but invalid; `errors` points at each wrong field.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "NotModified": {
        "description": "Unchanged since the ETag in If-None-Match.",
        "headers": { "ETag": { "$ref": "#/components/headers/ETag" } }
      },
      "ServiceUnavailable": {
        "description": "The database is unreachable or its migrations are not current.",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      }
    }
  }
}
"""#
}
