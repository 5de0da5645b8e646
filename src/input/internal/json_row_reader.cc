#include "input/internal/json_row_reader.h"

#include <simdjson.h>

#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "input/internal/frame_builder.h"
#include "input/internal/line_reader.h"
#include "input/internal/row_reader_base.h"
#include "types/number_format.h"

namespace strata::input::internal {
namespace {

namespace od = simdjson::ondemand;
using types::ColumnType;

// Big reads keep the per-read overhead (and gzip's) negligible.
constexpr size_t kChunkBytes = 4 << 20;

bool IsJsonSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view line) {
  for (char ch : line) {
    if (!IsJsonSpace(ch) && ch != '\f' && ch != '\v') return false;
  }
  return true;
}

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s, bool* is_integer) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !IsDigit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && IsDigit(s[i])) ++i;
  }
  *is_integer = true;
  if (i < n && s[i] == '.') {
    *is_integer = false;
    ++i;
    if (i >= n || !IsDigit(s[i])) return false;
    while (i < n && IsDigit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    *is_integer = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !IsDigit(s[i])) return false;
    while (i < n && IsDigit(s[i])) ++i;
  }
  return i == n;
}

// Maps a field name to its signature column: open addressing over a power-of-two table that is
// at most a quarter full, so a lookup is one hash and usually one comparison.
//
// Keys are looked up where they stand in the line buffer, as two 8-byte words: the first and the
// last 8 bytes of the name (the first word masked to the name when it is shorter). The words
// give the hash and, for names of up to 16 bytes, decide equality without a byte loop, which
// matters at twenty keys per row. Reading up to 8 bytes past a name is safe because the line
// buffer is padded (LineReader).
class ColumnIndex {
 public:
  explicit ColumnIndex(const std::vector<InputColumn>& signature) {
    size_t size = 8;
    while (size < signature.size() * 4) size *= 2;
    slots_.resize(size);
    mask_ = size - 1;
    for (size_t c = 0; c < signature.size(); ++c) {
      Slot slot;
      slot.name = signature[c].name;
      slot.words = WordsPadded(slot.name);
      slot.column = static_cast<int>(c);
      size_t i = slot.words.Hash() & mask_;
      while (slots_[i].column >= 0) i = (i + 1) & mask_;
      slots_[i] = slot;
    }
  }

  /// The column named `key` (unescaped), or -1.
  int Find(std::string_view key) const { return Lookup(key.data(), WordsPadded(key)); }

  /// The column named by the raw JSON key starting at `key` (just after its opening quote), which
  /// must be followed by 8 readable bytes past its closing quote. Sets `*escaped` and returns -1
  /// when the key has a backslash escape (the caller then unescapes it).
  int FindRaw(const char* key, bool* escaped) const {
    // Find the closing quote (or a backslash) 8 bytes at a time.
    size_t size = 0;
    while (true) {
      uint64_t word = Load64(key + size);
      uint64_t hits = BytesEqual(word, '"') | BytesEqual(word, '\\');
      if (hits != 0) {
        size += static_cast<size_t>(std::countr_zero(hits)) / 8;
        break;
      }
      size += 8;
    }
    if (key[size] == '\\') {
      *escaped = true;
      return -1;
    }
    *escaped = false;
    return Lookup(key, Words(key, size));
  }

 private:
  // The first and last 8 bytes of a name, and its size.
  struct KeyWords {
    uint64_t first = 0;
    uint64_t last = 0;
    size_t size = 0;

    uint64_t Hash() const {
      uint64_t h = first * 0x9E3779B97F4A7C15ULL ^ last * 0xC2B2AE3D27D4EB4FULL ^ size * 0x165667B19E3779F9ULL;
      return h ^ (h >> 29) ^ (h >> 47);
    }
    bool operator==(const KeyWords& o) const { return first == o.first && last == o.last && size == o.size; }
  };

  static uint64_t Load64(const char* p) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
  }

  // Marks (high bit of each byte) the lowest byte of `word` equal to `byte`; bytes above the
  // first match may be marked spuriously, so only the lowest mark is meaningful.
  static uint64_t BytesEqual(uint64_t word, char byte) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    uint64_t x = word ^ (kOnes * static_cast<unsigned char>(byte));
    return (x - kOnes) & ~x & (kOnes << 7);
  }

  // The words of the `size` bytes at `p`; 8 bytes at `p` must be readable even when size < 8.
  static KeyWords Words(const char* p, size_t size) {
    KeyWords words;
    words.size = size;
    words.first = Load64(p);
    if (size >= 8) {
      words.last = Load64(p + size - 8);
    } else if constexpr (std::endian::native == std::endian::little) {
      words.first &= size == 0 ? 0 : ~uint64_t{0} >> (64 - 8 * size);
    } else {
      words.first &= size == 0 ? 0 : ~uint64_t{0} << (64 - 8 * size);
    }
    return words;
  }

  // Words() of a name that may not have 8 readable bytes after it.
  static KeyWords WordsPadded(std::string_view name) {
    if (name.size() >= 8) return Words(name.data(), name.size());
    char padded[8] = {0};
    std::memcpy(padded, name.data(), name.size());
    return Words(padded, name.size());
  }

  int Lookup(const char* key, const KeyWords& words) const {
    size_t i = words.Hash() & mask_;
    while (true) {
      const Slot& slot = slots_[i];
      if (slot.column < 0) return -1;
      // Names up to 16 bytes are covered by the two words; longer ones compare the middle too.
      if (slot.words == words && (words.size <= 16 || std::memcmp(slot.name.data(), key, words.size) == 0)) {
        return slot.column;
      }
      i = (i + 1) & mask_;
    }
  }

  struct Slot {
    KeyWords words;
    std::string_view name;  // points into the reader's copy of the signature
    int column = -1;
  };

  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// A JSON number as Jackson reads it: an int/long, a BigInteger, or a double.
struct JsonNumber {
  enum class Kind { kLong, kUnsigned, kBigInteger, kDouble } kind = Kind::kLong;
  int64_t long_value = 0;
  uint64_t unsigned_value = 0;
  double double_value = 0;
  std::string_view token;  // the number as written
};

class JsonRowReader final : public RowReaderBase {
 public:
  JsonRowReader(const std::vector<InputColumn>& signature, std::unique_ptr<io::InputStream> stream, std::string uri,
                ParseErrorHandler on_error)
      : RowReaderBase(signature, std::move(stream), std::move(uri), std::move(on_error)),
        lines_(stream_.get(), kChunkBytes, simdjson::SIMDJSON_PADDING),
        signature_(signature),
        index_(signature_) {}

  Result<bool> Next(int64_t max_rows, columnar::Frame* out) override {
    if (max_rows <= 0) return Status::InvalidInput("max_rows must be positive, got " + std::to_string(max_rows));
    *out = columnar::Frame();
    if (done_) return false;
    builder_.StartFrame(max_rows);
    while (builder_.num_rows() < max_rows) {
      std::string_view line;
      ASSIGN_OR_RETURN(bool has_line, lines_.Next(&line));
      if (!has_line) {
        done_ = true;
        break;
      }
      if (IsBlank(line)) continue;
      ++record_;
      if (ParseRow(line)) {
        builder_.FinishRow();
        ++rows_read_;
      } else {
        builder_.AbortRow();
        RETURN_IF_ERROR(ReportParseError(line, record_, lines_.line_number()));
      }
    }
    if (builder_.num_rows() == 0) return false;
    builder_.FinishFrame(out);
    return true;
  }

 private:
  // Parses one line into the current row of the builder. False if it is not one valid JSON
  // object; the caller then aborts the row.
  bool ParseRow(std::string_view line) {
    line_end_ = line.data() + line.size();
    simdjson::padded_string_view json(line.data(), line.size(), lines_.ReadableFrom(line.data()));
    if (parser_.iterate(json).get(doc_) != simdjson::SUCCESS) return false;
    od::object object;
    if (doc_.get_object().get(object) != simdjson::SUCCESS) return false;
    for (auto field_result : object) {
      if (field_result.error() != simdjson::SUCCESS) return false;
      od::field& field = field_result.value_unsafe();
      bool escaped;
      int c = index_.FindRaw(reinterpret_cast<const char*>(field.key().raw()), &escaped);
      if (escaped) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
        c = index_.Find(key);
      }
      od::value& value = field.value();
      if (c < 0) {
        if (!Validate(value)) return false;
        continue;
      }
      if (!SetValue(c, value)) return false;
    }
    // Anything after the object (a second object, a stray bracket) makes the line invalid.
    return doc_.current_location().error() == simdjson::OUT_OF_BOUNDS;
  }

  bool SetValue(int c, od::value& value) {
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) {
      if (!IsNull(value)) return false;
      builder_.SetNull(c);
      return true;
    }
    switch (builder_.type(c)) {
      case ColumnType::kString:
        return SetStringValue(c, value, type);
      case ColumnType::kLong:
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        return SetNumericValue(c, value, type);
      case ColumnType::kComplex: {
        std::string_view raw;
        if (!RawJson(value, type, &raw)) return false;
        builder_.SetString(c, raw);
        return true;
      }
      default:
        return SetArrayValue(c, value, type);
    }
  }

  bool SetStringValue(int c, od::value& value, od::json_type type) {
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return false;
        builder_.SetString(c, s);
        return true;
      }
      case od::json_type::number: {
        std::string_view text;
        if (!NumberText(value, &text)) return false;
        builder_.SetString(c, text);
        return true;
      }
      case od::json_type::boolean: {
        bool b;
        if (value.get_bool().get(b) != simdjson::SUCCESS) return false;
        builder_.SetStringNoCopy(c, b ? std::string_view("true") : std::string_view("false"));
        return true;
      }
      case od::json_type::object: {
        std::string_view raw;
        if (!RawJson(value, type, &raw)) return false;
        builder_.SetString(c, raw);
        return true;
      }
      case od::json_type::array: {
        od::array array;
        if (value.get_array().get(array) != simdjson::SUCCESS) return false;
        builder_.BeginElements(c);
        for (auto element : array) {
          od::value v;
          if (element.get(v) != simdjson::SUCCESS) return false;
          if (!AddStringElement(c, v)) return false;
        }
        builder_.EndElements(c);
        return true;
      }
      case od::json_type::null:
        break;
    }
    return false;
  }

  // One element of a multi-value string (or ARRAY<STRING>) row.
  bool AddStringElement(int c, od::value& value) {
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return false;
        builder_.AddStringElement(c, builder_.CopyString(s));
        return true;
      }
      case od::json_type::number: {
        std::string_view text;
        if (!NumberText(value, &text)) return false;
        builder_.AddStringElement(c, builder_.CopyString(text));
        return true;
      }
      case od::json_type::boolean: {
        bool b;
        if (value.get_bool().get(b) != simdjson::SUCCESS) return false;
        builder_.AddStringElement(c, b ? std::string_view("true") : std::string_view("false"));
        return true;
      }
      case od::json_type::null:
        if (!IsNull(value)) return false;
        builder_.AddNullElement(c);
        return true;
      case od::json_type::object:
      case od::json_type::array: {
        std::string_view raw;
        if (!RawJson(value, type, &raw)) return false;
        builder_.AddStringElement(c, builder_.CopyString(raw));
        return true;
      }
    }
    return false;
  }

  bool SetNumericValue(int c, od::value& value, od::json_type type) {
    switch (type) {
      case od::json_type::number: {
        JsonNumber number;
        if (!ReadNumber(value, &number)) return false;
        SetNumber(c, number);
        return true;
      }
      case od::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return false;
        builder_.SetText(c, s);
        return true;
      }
      default:
        // Booleans, arrays and objects are not numbers.
        if (!Validate(value)) return false;
        builder_.SetNull(c);
        return true;
    }
  }

  void SetNumber(int c, const JsonNumber& number) {
    switch (number.kind) {
      case JsonNumber::Kind::kLong:
        builder_.SetLong(c, number.long_value);
        return;
      case JsonNumber::Kind::kUnsigned:
        // Jackson reads these as BigInteger; longValue() keeps the low 64 bits.
        if (builder_.type(c) == ColumnType::kLong) {
          builder_.SetLong(c, static_cast<int64_t>(number.unsigned_value));
        } else {
          builder_.SetDouble(c, static_cast<double>(number.unsigned_value));
        }
        return;
      case JsonNumber::Kind::kBigInteger:
      case JsonNumber::Kind::kDouble:
        builder_.SetDouble(c, number.double_value);
        return;
    }
  }

  bool SetArrayValue(int c, od::value& value, od::json_type type) {
    builder_.BeginElements(c);
    if (type == od::json_type::array) {
      od::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return false;
      for (auto element : array) {
        od::value v;
        if (element.get(v) != simdjson::SUCCESS) return false;
        if (!AddArrayElement(c, v)) return false;
      }
    } else if (!AddArrayElement(c, value)) {
      return false;
    }
    builder_.EndElements(c);
    return true;
  }

  bool AddArrayElement(int c, od::value& value) {
    if (builder_.type(c) == ColumnType::kStringArray) return AddStringElement(c, value);
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::number: {
        JsonNumber number;
        if (!ReadNumber(value, &number)) return false;
        if (number.kind == JsonNumber::Kind::kLong) {
          builder_.AddLongElement(c, number.long_value);
        } else if (number.kind == JsonNumber::Kind::kUnsigned && builder_.type(c) == ColumnType::kLongArray) {
          builder_.AddLongElement(c, static_cast<int64_t>(number.unsigned_value));
        } else {
          builder_.AddDoubleElement(c, number.double_value);
        }
        return true;
      }
      case od::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) return false;
        builder_.AddStringElement(c, s);  // numeric arrays parse the text without keeping it
        return true;
      }
      default:
        if (!Validate(value)) return false;
        builder_.AddNullElement(c);
        return true;
    }
  }

  // Reads a number. False if it is not valid JSON.
  bool ReadNumber(od::value& value, JsonNumber* number) {
    number->token = TrimRight(value.raw_json_token());
    od::number_type type;
    if (value.get_number_type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::number_type::signed_integer:
        if (value.get_int64().get(number->long_value) == simdjson::SUCCESS) {
          number->kind = JsonNumber::Kind::kLong;
          number->double_value = static_cast<double>(number->long_value);
          return true;
        }
        break;
      case od::number_type::unsigned_integer:
        if (value.get_uint64().get(number->unsigned_value) == simdjson::SUCCESS) {
          number->kind = JsonNumber::Kind::kUnsigned;
          number->double_value = static_cast<double>(number->unsigned_value);
          return true;
        }
        break;
      case od::number_type::floating_point_number:
        if (value.get_double().get(number->double_value) == simdjson::SUCCESS) {
          number->kind = JsonNumber::Kind::kDouble;
          return true;
        }
        break;
    }
    // simdjson refuses numbers outside the 64-bit ranges; Jackson reads them as BigInteger or
    // as an infinite double.
    bool is_integer = false;
    if (!IsJsonNumber(number->token, &is_integer)) return false;
    number->kind = is_integer ? JsonNumber::Kind::kBigInteger : JsonNumber::Kind::kDouble;
    number->double_value = std::strtod(std::string(number->token).c_str(), nullptr);
    return true;
  }

  // The text of a number as Druid puts it into a string column: integers as written, other
  // numbers as Java prints the double.
  bool NumberText(od::value& value, std::string_view* text) {
    JsonNumber number;
    if (!ReadNumber(value, &number)) return false;
    switch (number.kind) {
      case JsonNumber::Kind::kLong: {
        auto res = std::to_chars(number_buf_, number_buf_ + sizeof(number_buf_), number.long_value);
        *text = std::string_view(number_buf_, static_cast<size_t>(res.ptr - number_buf_));
        return true;
      }
      case JsonNumber::Kind::kUnsigned: {
        auto res = std::to_chars(number_buf_, number_buf_ + sizeof(number_buf_), number.unsigned_value);
        *text = std::string_view(number_buf_, static_cast<size_t>(res.ptr - number_buf_));
        return true;
      }
      case JsonNumber::Kind::kBigInteger:
        *text = number.token;
        return true;
      case JsonNumber::Kind::kDouble:
        number_text_ = types::FormatDoubleJava(number.double_value);
        *text = number_text_;
        return true;
    }
    return false;
  }

  // The JSON text of a value (validated): objects and arrays whole, scalars as written.
  bool RawJson(od::value& value, od::json_type type, std::string_view* raw) {
    std::string_view token = value.raw_json_token();
    if (type != od::json_type::object && type != od::json_type::array) {
      if (!Validate(value)) return false;
      *raw = TrimRight(token);
      return true;
    }
    const char* begin = token.data();
    if (!Validate(value)) return false;
    // Having walked the container, the iterator stands on the token after it.
    const char* end = line_end_;
    auto location = doc_.current_location();
    if (location.error() == simdjson::SUCCESS) end = location.value_unsafe();
    *raw = TrimRight(std::string_view(begin, static_cast<size_t>(end - begin)));
    return true;
  }

  // Walks a value that is not stored, so that a malformed line is rejected whatever columns
  // the signature has (On-Demand would otherwise skip it unchecked).
  bool Validate(od::value& value) {
    od::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if (value.get_object().get(object) != simdjson::SUCCESS) return false;
        for (auto field : object) {
          std::string_view key;
          if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
          od::value v;
          if (field.value().get(v) != simdjson::SUCCESS) return false;
          if (!Validate(v)) return false;
        }
        return true;
      }
      case od::json_type::array: {
        od::array array;
        if (value.get_array().get(array) != simdjson::SUCCESS) return false;
        for (auto element : array) {
          od::value v;
          if (element.get(v) != simdjson::SUCCESS) return false;
          if (!Validate(v)) return false;
        }
        return true;
      }
      case od::json_type::number: {
        JsonNumber number;
        return ReadNumber(value, &number);
      }
      case od::json_type::string: {
        std::string_view s;
        return value.get_string().get(s) == simdjson::SUCCESS;
      }
      case od::json_type::boolean: {
        bool b;
        return value.get_bool().get(b) == simdjson::SUCCESS;
      }
      case od::json_type::null:
        return IsNull(value);
    }
    return false;
  }

  static bool IsNull(od::value& value) {
    bool is_null = false;
    return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
  }

  LineReader lines_;
  std::vector<InputColumn> signature_;  // ColumnIndex points into these names
  ColumnIndex index_;
  od::parser parser_;
  od::document doc_;
  const char* line_end_ = nullptr;
  int64_t record_ = 0;
  bool done_ = false;
  char number_buf_[24];
  std::string number_text_;
};

}  // namespace

std::unique_ptr<RowReader> NewJsonRowReader(const std::vector<InputColumn>& signature,
                                            std::unique_ptr<io::InputStream> stream, std::string uri,
                                            ParseErrorHandler on_error) {
  return std::make_unique<JsonRowReader>(signature, std::move(stream), std::move(uri), std::move(on_error));
}

}  // namespace strata::input::internal
