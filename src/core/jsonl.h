// @brief The claim record as JSON: the wire format of `extract` and `load`.
//
// Field order and names follow docs/claims-format.md; dates that are unknown
// are null. claim_from_json() accepts what claim_to_json() writes (and the
// gold files, which lack some fields).
#pragma once

#include <nlohmann/json.hpp>

#include "core/claim.h"

namespace claimcheck {

nlohmann::ordered_json claim_to_json(const Claim& c);
// Appends claim_to_json(c).dump() to *out, byte for byte, without building
// the JSON value first (which cost more than the check that wrote it). With
// close = false the object is left open, for a caller that adds fields.
void append_claim_json(std::string* out, const Claim& c, bool close = true);

// JSON text as nlohmann's dump() writes it (no spaces, UTF-8 kept, control
// characters escaped, doubles in its shortest round-trip form), appended.
namespace json_text {
// Throws what dump() throws for a string that is not valid UTF-8.
void string(std::string* out, std::string_view s);
void number(std::string* out, double v);
void integer(std::string* out, long long v);
// ["a","b"]: an array of strings.
void strings(std::string* out, const std::vector<std::string>& v);
}  // namespace json_text
// Throws std::runtime_error naming the missing or mistyped field.
Claim claim_from_json(const nlohmann::json& j);

}  // namespace claimcheck
