// Input sources of EXTERN: where external rows come from. A source is split into InputSlices
// (one per file or URI; files are never split, as in Druid), and each slice is opened as a byte
// stream that an input format (input_format.h) turns into frames.
//
// Supported types: "local" (baseDir + filter glob, recursive; or files), "http" (uris, optional
// basic auth), "inline" (data). Names ending in ".gz" are gunzipped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "io/input_stream.h"

namespace strata::input {

/// One unit of input work: a file, a URI or the inline text.
struct InputSlice {
  /// How the slice is named in errors and reports: "file:/abs/path", "http://host/x.json.gz",
  /// "inline".
  std::string uri;
  /// Local path, URL, or empty for inline data.
  std::string location;
  /// Size in bytes when known, else -1.
  int64_t size_bytes = -1;
  /// A byte range of the file: the slice holds the lines that start in [offset, offset + length).
  /// length -1 means the whole file.
  int64_t offset = 0;
  int64_t length = -1;
};

class InputSource {
 public:
  virtual ~InputSource() = default;

  /// Parses an inputSource JSON object (the first EXTERN argument). Errors are InvalidInput with
  /// messages naming the bad field, e.g. "Invalid value for the field [inputSource]. Reason: ...".
  static Result<std::unique_ptr<InputSource>> FromJson(std::string_view json_text);

  /// "local", "http" or "inline".
  virtual std::string type() const = 0;
  /// Resolves the slices (lists directories for "local"). Empty local files are skipped.
  virtual Result<std::vector<InputSlice>> Slices() const = 0;
  /// Opens one slice for reading, decompressing gzip when the name ends in ".gz".
  virtual Result<std::unique_ptr<io::InputStream>> Open(const InputSlice& slice) const = 0;
  /// Splits a slice of line-oriented input into byte ranges of about `target_bytes` so several
  /// workers can read one large file (uncompressed local files only; others stay whole). Druid
  /// never splits files; splitting only changes which worker reads which lines.
  virtual std::vector<InputSlice> Split(const InputSlice& slice, int64_t /*target_bytes*/) const { return {slice}; }
  /// The source as Druid echoes it in the stage definition of a report, e.g.
  /// {"type":"http","uris":[...],"httpAuthenticationUsername":null,"httpAuthenticationPassword":null}.
  /// Passwords are never echoed in clear text.
  virtual std::string ToJson() const = 0;
};

}  // namespace strata::input
