// Identifiers: random UUIDs (query ids, stage ids) and random letter strings (native task ids).
#pragma once

#include <string>

namespace strata::base {

/// A random (version 4) UUID in canonical lower-case form, e.g. "3dc0c45d-34d7-4b15-86c9-cdb2d3ebfc4e".
std::string RandomUuid();
/// `length` random lower-case letters.
std::string RandomLetters(int length);

}  // namespace strata::base
