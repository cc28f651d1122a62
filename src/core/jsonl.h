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
// Throws std::runtime_error naming the missing or mistyped field.
Claim claim_from_json(const nlohmann::json& j);

}  // namespace claimcheck
