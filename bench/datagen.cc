// wikigen: a fast generator of wikipedia-shaped edit events, one JSON object per line, for the
// ingestion benchmarks (bench/ingest_bench.py). The events have the 20 fields of Druid's wikipedia
// quickstart sample, in the same order and with the same value shapes:
//
//   time       ISO-8601 with millis and Z, in increasing order over --days days from --start
//   channel    51 channels weighted as in the sample (#en.wikipedia most common)
//   page       Zipf-Mandelbrot (s = 1, offset 100) over 1M distinct generated titles, each in one
//              of 20 namespaces (~290k distinct pages in 1M rows, ~870k in 10M)
//   user       bots (39%, the sample's 150 bots with its weights), anonymous IPv4/IPv6 users
//              (10%, Zipf over 5M addresses) and registered users (Zipf over 500k distinct names)
//   namespace  the page's namespace: 20 values, "Main" for about 80% of edits
//   location   cityName, regionName, regionIsoCode, countryName, countryIsoCode, metroCode: set
//              only for anonymous edits, fixed per IP address, null otherwise (as in the sample)
//   is*        isRobot, isAnonymous follow the user; isMinor, isNew, isUnpatrolled depend on the
//              kind of user with the sample's rates
//   comment    the sample's frequent summaries (~40%) or templates filled with pages, users,
//              revision ids and section titles (high cardinality)
//   delta, added, deleted   heavy-tailed (log-normal) sizes; delta = added - deleted, one of
//              added/deleted is 0; bots repeat their own typical delta
//
// Output is deterministic for a given --seed, --rows, --days and --start.
//
// Usage: wikigen --rows N --out FILE|- [--seed S] [--days 7] [--start 2015-09-12]
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "wiki_vocabulary.h"

namespace strata::bench {
namespace {

constexpr uint64_t kMillisPerDay = 86'400'000;
constexpr size_t kNumPages = 1'000'000;
constexpr double kPageZipfExponent = 1.0;
constexpr double kPageZipfOffset = 100;  // flattens the head: the top page gets ~0.1% of edits
constexpr size_t kNumRegisteredUsers = 500'000;
constexpr double kRegisteredUserZipfExponent = 1.0;
constexpr double kRegisteredUserZipfOffset = 30;
constexpr uint64_t kNumAnonymousAddresses = 5'000'000;
constexpr double kAnonymousZipfExponent = 0.7;
constexpr double kTitleWordZipfExponent = 0.8;
constexpr double kRobotShare = 0.393;          // 15,420 of 39,244 sample rows
constexpr double kAnonymousShareOfHumans = 0.16;  // 3,799 of 23,824
constexpr double kFrequentCommentShare = 0.40;
constexpr size_t kOutputBufferBytes = 8 << 20;

/// xoshiro256** (Blackman & Vigna): fast, good quality, and fully determined by its seed.
class Random {
 public:
  explicit Random(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& word : state_) word = SplitMix64(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, bound).
  uint32_t Below(uint32_t bound) { return static_cast<uint32_t>(((Next() >> 32) * bound) >> 32); }

  /// Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  /// True with the given probability.
  bool Chance(double probability) { return Unit() < probability; }

  static uint64_t SplitMix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

/// A stateless 64-bit mix: derives per-entity attributes (an IP's location) from its id.
uint64_t Mix(uint64_t id) {
  uint64_t x = id;
  return Random::SplitMix64(x);
}

/// Walker's alias method: draws an index with probability proportional to its weight in O(1)
/// from one 64-bit random number.
class AliasTable {
 public:
  explicit AliasTable(std::span<const double> weights) : entries_(weights.size()) {
    const size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      uint32_t s = small.back();
      small.pop_back();
      uint32_t l = large.back();
      entries_[s] = {ToThreshold(scaled[s]), l};
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t i : large) entries_[i] = {UINT32_MAX, i};
    for (uint32_t i : small) entries_[i] = {UINT32_MAX, i};
  }

  uint32_t Sample(uint64_t random) const {
    const uint32_t slot = static_cast<uint32_t>(((random >> 32) * entries_.size()) >> 32);
    const Entry& e = entries_[slot];
    return static_cast<uint32_t>(random) < e.threshold ? slot : e.alias;
  }

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t threshold;  // keep the slot when the low random bits are below this
    uint32_t alias;
  };
  static uint32_t ToThreshold(double p) {
    return static_cast<uint32_t>(std::min(p * 4294967296.0, 4294967295.0));
  }
  std::vector<Entry> entries_;
};

/// Zipf-Mandelbrot over ranks 1..n: P(k) proportional to (k + offset)^-exponent.
AliasTable ZipfTable(size_t n, double exponent, double offset = 0) {
  std::vector<double> weights(n);
  for (size_t k = 0; k < n; ++k) {
    weights[k] = std::pow(static_cast<double>(k + 1) + offset, -exponent);
  }
  return AliasTable(weights);
}

AliasTable WeightTable(std::span<const WeightedValue> values) {
  std::vector<double> weights;
  for (const WeightedValue& v : values) weights.push_back(v.weight);
  return AliasTable(weights);
}

/// Remembers 64-bit fingerprints of strings, to keep generated names distinct. Open addressing
/// with linear probing; `capacity` (rounded up to a power of two) must be well above the number
/// of inserts.
class FingerprintSet {
 public:
  explicit FingerprintSet(size_t capacity) : num_slots_(std::bit_ceil(capacity)) {
    // Inserts touch random slots of a table of many megabytes: huge pages spare a TLB miss each.
    constexpr size_t kHugePageBytes = 2 << 20;
    const size_t bytes = (num_slots_ * sizeof(uint64_t) + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    slots_ = static_cast<uint64_t*>(std::aligned_alloc(kHugePageBytes, bytes));
    if (slots_ == nullptr) std::abort();
    ::madvise(slots_, bytes, MADV_HUGEPAGE);
    std::memset(slots_, 0, bytes);
  }
  ~FingerprintSet() { std::free(slots_); }
  FingerprintSet(const FingerprintSet&) = delete;
  FingerprintSet& operator=(const FingerprintSet&) = delete;

  /// FNV-1a: the same on every platform, so the generated data is too.
  static uint64_t Fingerprint(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h | 1;  // 0 marks an empty slot
  }

  /// Starts loading the slot where `fingerprint` would go, so that a batch of inserts overlaps
  /// its cache misses.
  void Prefetch(uint64_t fingerprint) const {
    __builtin_prefetch(&slots_[Mix(fingerprint) & (num_slots_ - 1)]);
  }

  /// Adds a fingerprint; returns false if it was already there.
  bool Insert(uint64_t fingerprint) {
    const size_t mask = num_slots_ - 1;
    for (size_t i = Mix(fingerprint) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == fingerprint) return false;
      if (slots_[i] == 0) {
        slots_[i] = fingerprint;
        return true;
      }
    }
  }

 private:
  size_t num_slots_;
  uint64_t* slots_;
};

/// Many short strings in one buffer; `Get(i)` is the i-th.
class StringPool {
 public:
  StringPool() : offsets_{0} {}
  void Add(std::string_view s) {
    chars_.append(s);
    offsets_.push_back(static_cast<uint32_t>(chars_.size()));
  }
  std::string_view Get(size_t i) const {
    return std::string_view(chars_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  size_t size() const { return offsets_.size() - 1; }

 private:
  std::string chars_;
  std::vector<uint32_t> offsets_;
};

/// Appends rows to one of two large buffers; a full buffer is written to the file by a background
/// thread while the generator fills the other, so that generation and the kernel's copy into the
/// page cache run on different cores. Only the generating thread calls the public methods.
class Output {
 public:
  explicit Output(int fd)
      : fd_(fd),
        storage_{std::vector<char>(kOutputBufferBytes), std::vector<char>(kOutputBufferBytes)},
        buffer_(storage_[0].data()),
        writer_([this] { WriterLoop(); }) {}

  ~Output() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    writer_.join();
  }

  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Append(std::string_view s) {
    std::memcpy(buffer_ + size_, s.data(), s.size());
    size_ += s.size();
  }
  void Append(char c) { buffer_[size_++] = c; }
  void AppendInt(int64_t v) {
    auto [end, ec] = std::to_chars(buffer_ + size_, buffer_ + kOutputBufferBytes, v);
    (void)ec;
    size_ = static_cast<size_t>(end - buffer_);
  }
  /// `"s"`, or null when s is empty.
  void AppendStringOrNull(std::string_view s) {
    if (s.empty()) {
      Append(std::string_view("null"));
    } else {
      Append('"');
      Append(s);
      Append('"');
    }
  }
  void AppendBool(bool b) { Append(b ? std::string_view("true") : std::string_view("false")); }
  char* Tail() { return buffer_ + size_; }
  void Advance(size_t n) { size_ += n; }

  /// Hands the buffer to the writer if fewer than `reserve` bytes are left. Returns false once a
  /// write has failed (errno is set).
  bool FlushIfFull(size_t reserve) { return kOutputBufferBytes - size_ >= reserve || Swap(); }

  /// Writes everything appended so far and waits for it. Returns false if a write failed.
  bool Flush() {
    if (!Swap()) return false;
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return pending_size_ == 0; });
    if (write_errno_ != 0) errno = write_errno_;
    return write_errno_ == 0;
  }

  uint64_t bytes_written() const { return bytes_written_; }

 private:
  // Waits until the writer is idle, then gives it the current buffer and switches to the other.
  bool Swap() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return pending_size_ == 0; });
    if (write_errno_ != 0) {
      errno = write_errno_;
      return false;
    }
    pending_ = buffer_;
    pending_size_ = size_;
    bytes_written_ += size_;
    current_ ^= 1;
    buffer_ = storage_[current_].data();
    size_ = 0;
    lock.unlock();
    changed_.notify_all();
    return true;
  }

  void WriterLoop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      changed_.wait(lock, [this] { return stop_ || pending_size_ != 0; });
      if (pending_size_ == 0) return;  // stopping and nothing left to write
      const char* data = pending_;
      const size_t size = pending_size_;
      lock.unlock();
      int error = 0;
      size_t done = 0;
      while (done < size) {
        const ssize_t n = ::write(fd_, data + done, size - done);
        if (n < 0) {
          if (errno == EINTR) continue;
          error = errno;
          break;
        }
        done += static_cast<size_t>(n);
      }
      lock.lock();
      if (error != 0) write_errno_ = error;
      pending_size_ = 0;
      changed_.notify_all();
    }
  }

  const int fd_;
  std::vector<char> storage_[2];
  int current_ = 0;
  char* buffer_;  // storage_[current_].data(), filled by the generating thread
  size_t size_ = 0;
  uint64_t bytes_written_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  const char* pending_ = nullptr;  // guarded by mutex_: the buffer the writer owns
  size_t pending_size_ = 0;        // guarded by mutex_: 0 when the writer is idle
  int write_errno_ = 0;            // guarded by mutex_
  bool stop_ = false;              // guarded by mutex_
  std::thread writer_;             // last: starts after the fields above exist
};

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

/// An edit-summary template: literal text with slots filled per row.
enum class Slot : uint8_t { kNone, kPage, kUser, kRevision, kSection, kWord, kNumber };
struct CommentTemplate {
  std::string_view text;  // '\x01' page, '\x02' user, '\x03' revision id, '\x04' section,
                          // '\x05' title word, '\x06' small number
  uint32_t weight;
};

// Shapes of real edit summaries (English and other wikis); text is JSON-safe.
constexpr CommentTemplate kCommentTemplates[] = {
    {"/* \x04 */", 30},
    {"/* \x04 */ \x05", 12},
    {"/* \x04 */ added \x05", 6},
    {"/* \x04 */ fixed typo", 4},
    {"/* \x04 */ ref", 3},
    {"Undid revision \x03 by [[Special:Contributions/\x02|\x02]] ([[User talk:\x02|talk]])", 8},
    {"Reverted edits by [[Special:Contributions/\x02|\x02]] ([[User talk:\x02|talk]]) to last "
     "version by \x02",
     5},
    {"Reverted \x06 edits by [[Special:Contributions/\x02|\x02]] ([[User talk:\x02|talk]]): "
     "unexplained removal",
     2},
    {"Revertidos los cambios de [[Special:Contributions/\x02|\x02]] a la última edición de \x02", 2},
    {"Annulation des modifications \x03 de [[Spécial:Contributions/\x02|\x02]]", 2},
    {"Änderungen von [[Special:Contributions/\x02|\x02]] rückgängig gemacht und letzte Version "
     "von \x02 wiederhergestellt",
     2},
    {"[[WP:AES|←]]Created page with '{{\x05}} \x01'", 4},
    {"[[WP:AES|←]]Redirected page to [[\x01]]", 3},
    {"moved [[\x01]] to [[\x01]]", 2},
    {"Notification: tagging for deletion of [[\x01]]. ([[WP:TW|TW]])", 2},
    {"Adding [[Wikipedia:Tags|tag]] to [[\x01]]", 1},
    {"added [[Category:\x05 \x05]] using [[WP:HC|HotCat]]", 4},
    {"removed [[Category:\x05]]; added [[Category:\x05 \x05]] using [[WP:HC|HotCat]]", 2},
    {"Bot: Migrating \x06 interwiki links, now provided by [[Wikipedia:Wikidata|Wikidata]] on "
     "[[d:Q\x03]]",
     3},
    {"Robot: adding [[\x05:\x01]]", 2},
    {"[[WP:CHECKWIKI]] error fix #\x06. using [[Project:AWB|AWB]] (\x03)", 2},
    {"clean up, typo(s) fixed: \x05 → \x05 (\x06) using [[Project:AWB|AWB]]", 3},
    {"Disambiguating links to [[\x01]] (link changed to [[\x01]]) using [[User:Qwertyytrewqqwerty/"
     "DisamAssist|DisamAssist]].",
     2},
    {"Rescuing \x06 sources and tagging 0 as dead. #IABot", 2},
    {"\x05", 5},
    {"\x05 \x05", 4},
    {"\x05 \x05 \x05", 2},
    {"added \x05 \x05", 3},
    {"update \x05", 3},
    {"+ \x05", 2},
    {"ref \x05 \x06", 1},
    {"[[\x01]]", 1},
    {"Reply to \x02", 1},
    {"Welcome to Wikipedia, \x02!", 1},
    {"Warning: Vandalism on [[\x01]]. ([[WP:TW|TW]])", 2},
    {"", 3},
};

/// Parses the template texts once into (literal, slot) pieces.
struct CommentPiece {
  std::string_view literal;
  Slot slot;
};

std::vector<std::vector<CommentPiece>> ParseCommentTemplates() {
  std::vector<std::vector<CommentPiece>> parsed;
  for (const CommentTemplate& t : kCommentTemplates) {
    std::vector<CommentPiece> pieces;
    size_t start = 0;
    for (size_t i = 0; i < t.text.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(t.text[i]);
      if (c >= 1 && c <= 6) {
        pieces.push_back({t.text.substr(start, i - start), static_cast<Slot>(c)});
        start = i + 1;
      }
    }
    pieces.push_back({t.text.substr(start), Slot::kNone});
    parsed.push_back(std::move(pieces));
  }
  return parsed;
}

/// What the generator draws from; built once per run from the seed.
class Generator {
 public:
  Generator(uint64_t seed, int64_t start_day, int num_days, uint64_t num_rows)
      : random_(seed),
        start_millis_(static_cast<uint64_t>(start_day) * kMillisPerDay),
        span_millis_(static_cast<uint64_t>(num_days) * kMillisPerDay),
        num_rows_(num_rows),
        channels_(WeightTable(kChannels)),
        namespaces_(WeightTable(kNamespaces)),
        bots_(WeightTable(kBots)),
        frequent_comments_(WeightTable(kComments)),
        sections_(WeightTable(kSections)),
        title_words_(ZipfTable(std::size(kTitleWords), kTitleWordZipfExponent)),
        registered_users_(
            ZipfTable(kNumRegisteredUsers, kRegisteredUserZipfExponent, kRegisteredUserZipfOffset)),
        pages_(ZipfTable(kNumPages, kPageZipfExponent, kPageZipfOffset)),
        locations_(LocationTable()),
        comment_templates_(CommentTemplateTable()),
        comment_pieces_(ParseCommentTemplates()) {
    for (int d = 0; d <= num_days; ++d) {
      int64_t y;
      unsigned m, dd;
      CivilFromDays(start_day + d, y, m, dd);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT", static_cast<int>(y), m, dd);
      day_prefixes_.emplace_back(buf);
    }
    BuildUserNames();
    BuildPages();
    BuildMagnitudes();
    for (size_t b = 0; b < std::size(kBots); ++b) {
      static constexpr int kTypicalBotDeltas[] = {18, 36, 1, 2, 8, 40, 4, -1, 17, 12, 24, 6, 3};
      bot_typical_delta_.push_back(kTypicalBotDeltas[Mix(b + 17) % std::size(kTypicalBotDeltas)]);
    }
  }

  /// Writes row `row_index` (0-based) as one JSON line.
  void WriteRow(uint64_t row_index, Output& out) {
    WriteTime(row_index, out);

    // Who edits decides most other fields.
    enum class Editor { kBot, kAnonymous, kRegistered } editor;
    const double u = random_.Unit();
    if (u < kRobotShare) {
      editor = Editor::kBot;
    } else if (u < kRobotShare + (1 - kRobotShare) * kAnonymousShareOfHumans) {
      editor = Editor::kAnonymous;
    } else {
      editor = Editor::kRegistered;
    }
    uint32_t bot = 0;
    uint64_t address = 0;
    const Location* location = nullptr;
    if (editor == Editor::kBot) {
      bot = bots_.Sample(random_.Next());
    } else if (editor == Editor::kAnonymous) {
      address = AnonymousAddress();
      location = &kLocations[locations_.Sample(Mix(address))];
    }

    out.Append(std::string_view(",\"channel\":\""));
    out.Append(kChannels[channels_.Sample(random_.Next())].value);
    out.Append(std::string_view("\",\"cityName\":"));
    out.AppendStringOrNull(location ? location->city_name : std::string_view());
    out.Append(std::string_view(",\"comment\":\""));
    WriteComment(out);
    out.Append(std::string_view("\",\"countryIsoCode\":"));
    out.AppendStringOrNull(location ? location->country_iso_code : std::string_view());
    out.Append(std::string_view(",\"countryName\":"));
    out.AppendStringOrNull(location ? location->country_name : std::string_view());

    // One random word gives the independent flags (16 bits each).
    const uint64_t flags = random_.Next();
    auto flag = [&](int which, double probability) {
      return static_cast<double>((flags >> (16 * which)) & 0xffff) < probability * 65536.0;
    };
    bool is_minor, is_new, is_unpatrolled;
    switch (editor) {
      case Editor::kBot:
        is_minor = flag(0, 0.78);
        is_new = flag(1, 0.02);
        is_unpatrolled = flag(2, 0.23);
        break;
      case Editor::kAnonymous:
        is_minor = flag(0, 0.05);
        is_new = flag(1, 0.05);
        is_unpatrolled = flag(2, 0.22);
        break;
      case Editor::kRegistered:
      default:
        is_minor = flag(0, 0.25);
        is_new = flag(1, 0.08);
        is_unpatrolled = flag(2, 0.08);
        break;
    }
    out.Append(std::string_view(",\"isAnonymous\":"));
    out.AppendBool(editor == Editor::kAnonymous);
    out.Append(std::string_view(",\"isMinor\":"));
    out.AppendBool(is_minor);
    out.Append(std::string_view(",\"isNew\":"));
    out.AppendBool(is_new);
    out.Append(std::string_view(",\"isRobot\":"));
    out.AppendBool(editor == Editor::kBot);
    out.Append(std::string_view(",\"isUnpatrolled\":"));
    out.AppendBool(is_unpatrolled);
    out.Append(std::string_view(",\"metroCode\":"));
    if (location && location->metro_code >= 0) {
      out.AppendInt(location->metro_code);
    } else {
      out.Append(std::string_view("null"));
    }

    const uint32_t page = pages_.Sample(random_.Next());
    out.Append(std::string_view(",\"namespace\":\""));
    out.Append(kNamespaces[page_namespace_[page]].value);
    out.Append(std::string_view("\",\"page\":\""));
    out.Append(page_titles_.Get(page));
    out.Append(std::string_view("\",\"regionIsoCode\":"));
    out.AppendStringOrNull(location ? location->region_iso_code : std::string_view());
    out.Append(std::string_view(",\"regionName\":"));
    out.AppendStringOrNull(location ? location->region_name : std::string_view());
    out.Append(std::string_view(",\"user\":\""));
    switch (editor) {
      case Editor::kBot:
        out.Append(kBots[bot].value);
        break;
      case Editor::kAnonymous:
        WriteAddress(address, out);
        break;
      case Editor::kRegistered:
        out.Append(user_names_.Get(registered_users_.Sample(random_.Next())));
        break;
    }

    // Sizes: a few no-op edits, bots repeating their typical change, else log-normal.
    int64_t delta;
    const uint64_t r = random_.Next();
    const uint32_t kind = static_cast<uint32_t>(r & 0xffff);
    const uint32_t magnitude_slot = static_cast<uint32_t>((r >> 16) & 0xffff);
    if (kind < 0.066 * 65536) {
      delta = 0;
    } else if (editor == Editor::kBot && kind < 0.55 * 65536) {
      delta = bot_typical_delta_[bot];
    } else if (kind < (editor == Editor::kBot ? 0.60 : 0.24) * 65536) {
      delta = -static_cast<int64_t>(removed_magnitudes_[magnitude_slot]);
    } else {
      delta = added_magnitudes_[magnitude_slot];
    }
    out.Append(std::string_view("\",\"delta\":"));
    out.AppendInt(delta);
    out.Append(std::string_view(",\"added\":"));
    out.AppendInt(delta > 0 ? delta : 0);
    out.Append(std::string_view(",\"deleted\":"));
    out.AppendInt(delta < 0 ? -delta : 0);
    out.Append(std::string_view("}\n"));
  }

 private:
  static AliasTable LocationTable() {
    std::vector<double> weights;
    for (const Location& l : kLocations) weights.push_back(l.weight);
    return AliasTable(weights);
  }

  static AliasTable CommentTemplateTable() {
    std::vector<double> weights;
    for (const CommentTemplate& t : kCommentTemplates) weights.push_back(t.weight);
    return AliasTable(weights);
  }

  // Rows are spread evenly over the span, in time order, like a day's log files.
  void WriteTime(uint64_t row_index, Output& out) {
    const uint64_t offset = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(row_index) * span_millis_) / num_rows_);
    const uint64_t day = offset / kMillisPerDay;
    uint32_t ms = static_cast<uint32_t>(offset % kMillisPerDay);
    out.Append(std::string_view("{\"time\":\""));
    out.Append(day_prefixes_[day]);
    char* p = out.Tail();
    const uint32_t hours = ms / 3'600'000;
    ms -= hours * 3'600'000;
    const uint32_t minutes = ms / 60'000;
    ms -= minutes * 60'000;
    const uint32_t seconds = ms / 1000;
    ms -= seconds * 1000;
    p[0] = static_cast<char>('0' + hours / 10);
    p[1] = static_cast<char>('0' + hours % 10);
    p[2] = ':';
    p[3] = static_cast<char>('0' + minutes / 10);
    p[4] = static_cast<char>('0' + minutes % 10);
    p[5] = ':';
    p[6] = static_cast<char>('0' + seconds / 10);
    p[7] = static_cast<char>('0' + seconds % 10);
    p[8] = '.';
    p[9] = static_cast<char>('0' + ms / 100);
    p[10] = static_cast<char>('0' + ms / 10 % 10);
    p[11] = static_cast<char>('0' + ms % 10);
    p[12] = 'Z';
    p[13] = '"';
    out.Advance(14);
  }

  // Continuous inverse-CDF Zipf over the address space: the head repeats (busy IPs), the tail is
  // nearly unique, as for anonymous editors.
  uint64_t AnonymousAddress() {
    static const double kOneMinusS = 1.0 - kAnonymousZipfExponent;
    static const double kRange = std::pow(static_cast<double>(kNumAnonymousAddresses), kOneMinusS);
    const double rank = std::pow(random_.Unit() * (kRange - 1.0) + 1.0, 1.0 / kOneMinusS);
    return static_cast<uint64_t>(rank);
  }

  static void WriteAddress(uint64_t address, Output& out) {
    const uint64_t bits = Mix(address * 2 + 1);
    if ((bits & 0xff) < 51) {  // ~20% IPv6, e.g. 2601:646:8a00:5f0:d9c3:6b2e:9e0c:17a4
      char buf[64];
      const uint64_t more = Mix(address * 2 + 2);
      int n = std::snprintf(buf, sizeof buf, "2%03x:%x:%x:%x:%x:%x:%x:%x",
                            static_cast<unsigned>((bits >> 8) & 0x3ff),
                            static_cast<unsigned>((bits >> 20) & 0xffff),
                            static_cast<unsigned>((bits >> 36) & 0xffff),
                            static_cast<unsigned>((bits >> 48) & 0xffff),
                            static_cast<unsigned>(more & 0xffff),
                            static_cast<unsigned>((more >> 16) & 0xffff),
                            static_cast<unsigned>((more >> 32) & 0xffff),
                            static_cast<unsigned>((more >> 48) & 0xffff));
      out.Append(std::string_view(buf, static_cast<size_t>(n)));
      return;
    }
    const uint32_t a = static_cast<uint32_t>(bits >> 8);
    out.AppendInt(1 + (a & 0xff) % 223);
    out.Append('.');
    out.AppendInt((a >> 8) & 0xff);
    out.Append('.');
    out.AppendInt((a >> 16) & 0xff);
    out.Append('.');
    out.AppendInt(1 + (a >> 24) % 254);
  }

  std::string_view TitleWord(uint64_t random) const {
    return kTitleWords[title_words_.Sample(random)].value;
  }

  void WriteComment(Output& out) {
    if (random_.Chance(kFrequentCommentShare)) {
      out.Append(kComments[frequent_comments_.Sample(random_.Next())].value);
      return;
    }
    for (const CommentPiece& piece : comment_pieces_[comment_templates_.Sample(random_.Next())]) {
      out.Append(piece.literal);
      switch (piece.slot) {
        case Slot::kNone:
          break;
        case Slot::kPage:
          out.Append(page_titles_.Get(pages_.Sample(random_.Next())));
          break;
        case Slot::kUser:
          out.Append(user_names_.Get(registered_users_.Sample(random_.Next())));
          break;
        case Slot::kRevision:
          out.AppendInt(670'000'000 + random_.Below(20'000'000));
          break;
        case Slot::kSection:
          out.Append(kSections[sections_.Sample(random_.Next())].value);
          break;
        case Slot::kWord:
          out.Append(TitleWord(random_.Next()));
          break;
        case Slot::kNumber:
          out.AppendInt(2 + random_.Below(40));
          break;
      }
    }
  }

  // Adds `count` distinct strings to `pool`, made by `make_candidate(std::string&)` (which returns a
  // tag, kept in `tags` if given); duplicates are dropped. Candidates are made in batches so that
  // the duplicate checks' cache misses overlap; the result depends only on the random stream.
  template <typename MakeCandidate>
  void FillDistinct(StringPool& pool, size_t count, MakeCandidate make_candidate,
                    std::vector<uint8_t>* tags = nullptr) {
    constexpr size_t kBatch = 64;
    FingerprintSet seen(4 * count);
    std::string candidates[kBatch];
    uint64_t fingerprints[kBatch];
    uint8_t candidate_tags[kBatch];
    while (pool.size() < count) {
      for (size_t i = 0; i < kBatch; ++i) {
        candidates[i].clear();
        candidate_tags[i] = make_candidate(candidates[i]);
        fingerprints[i] = FingerprintSet::Fingerprint(candidates[i]);
        seen.Prefetch(fingerprints[i]);
      }
      for (size_t i = 0; i < kBatch && pool.size() < count; ++i) {
        if (!seen.Insert(fingerprints[i])) continue;
        pool.Add(candidates[i]);
        if (tags != nullptr) tags->push_back(candidate_tags[i]);
      }
    }
  }

  // Registered user names: word pairs, words with digits, invented names.
  void BuildUserNames() {
    static constexpr std::string_view kSyllables[] = {
        "ka", "ro", "mi", "tan", "el", "lo", "ber", "sa", "vi", "do", "ne", "ar", "tu", "an",
        "ri", "co", "li", "ma", "zu", "hen", "dra", "go", "sin", "bad", "tas", "se", "de", "the",
        "ni", "ce", "guy", "os", "wah", "kel", "ly", "fer", "ra", "jo", "ha", "yu", "ki", "na"};
    FillDistinct(user_names_, kNumRegisteredUsers, [&](std::string& name) -> uint8_t {
      const uint64_t r = random_.Next();
      switch (r % 6) {
        case 0:
        case 1:
          name.append(TitleWord(random_.Next()));
          name.append(TitleWord(random_.Next()));
          break;
        case 2:
          name.append(TitleWord(random_.Next()));
          name.append(std::to_string(1950 + (r >> 8) % 70));
          break;
        case 3: {
          const int n = 2 + static_cast<int>((r >> 8) % 3);
          for (int s = 0; s < n; ++s) name.append(kSyllables[random_.Below(std::size(kSyllables))]);
          name[0] = static_cast<char>(name[0] - 'a' + 'A');
          break;
        }
        case 4:
          for (int s = 0; s < 2; ++s) name.append(kSyllables[random_.Below(std::size(kSyllables))]);
          name[0] = static_cast<char>(name[0] - 'a' + 'A');
          name.push_back(' ');
          name.append(TitleWord(random_.Next()));
          break;
        default:
          name.append(TitleWord(random_.Next()));
          name.push_back('_');
          name.append(std::to_string((r >> 8) % 1000));
          break;
      }
      return 0;
    });
  }

  // Page titles with their namespace prefix; user pages are named after users.
  void BuildPages() {
    static constexpr std::string_view kQualifiers[] = {
        "film", "album", "band", "disambiguation", "song", "footballer", "politician", "TV series",
        "novel", "village", "plant", "genus", "moth", "river", "company", "singer"};
    static const AliasTable kTitleLength(std::vector<double>{19, 49, 14, 8, 5, 3, 2});
    page_namespace_.reserve(kNumPages);
    FillDistinct(page_titles_, kNumPages, [&](std::string& title) -> uint8_t {
      const uint32_t ns = namespaces_.Sample(random_.Next());
      const std::string_view ns_name = kNamespaces[ns].value;
      if (ns_name != "Main") {
        title.append(ns_name);
        title.push_back(':');
      }
      const uint64_t r = random_.Next();
      if (ns_name == "User" || ns_name == "User talk" || ns_name == "Benutzer") {
        title.append(user_names_.Get(random_.Below(kNumRegisteredUsers)));
        if ((r & 0xff) < 40) title.append("/sandbox");
      } else {
        if ((r & 0xff) < 8) {
          title.append("List of ");
        } else if (((r >> 8) & 0xff) < 10) {
          title.append(std::to_string(1900 + (r >> 16) % 116));
          title.push_back(' ');
        }
        const uint32_t num_words = 1 + kTitleLength.Sample(random_.Next());
        const size_t first = title.size();
        if (num_words == 1) {
          // A one-word title is a name, not "of" or "de": any word, uniformly.
          title.append(kTitleWords[random_.Below(std::size(kTitleWords))].value);
        } else {
          for (uint32_t w = 0; w < num_words; ++w) {
            if (w > 0) title.push_back(' ');
            title.append(TitleWord(random_.Next()));
          }
        }
        if (title[first] >= 'a' && title[first] <= 'z') {
          title[first] = static_cast<char>(title[first] - 'a' + 'A');
        }
        if (((r >> 32) & 0xff) < 14) {
          title.append(" (");
          title.append(kQualifiers[(r >> 40) % std::size(kQualifiers)]);
          title.push_back(')');
        }
      }
      return static_cast<uint8_t>(ns);
    }, &page_namespace_);
  }

  // Log-normal change sizes, tabulated: added median ~30 bytes (90th pct ~400, 99th ~4,000),
  // removed median ~10 bytes.
  void BuildMagnitudes() {
    added_magnitudes_.resize(65536);
    removed_magnitudes_.resize(65536);
    for (size_t i = 0; i < 65536; ++i) {
      const double u1 = (static_cast<double>(i) + 0.5) / 65536.0;
      const double u2 = random_.Unit();
      // Box-Muller with u1 spread evenly so the table covers the tails.
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      added_magnitudes_[i] = static_cast<uint32_t>(
          std::clamp(std::exp(std::log(30.0) + 2.0 * z), 1.0, 250000.0));
      removed_magnitudes_[i] = static_cast<uint32_t>(
          std::clamp(std::exp(std::log(10.0) + 1.8 * z), 1.0, 100000.0));
    }
  }

  Random random_;
  uint64_t start_millis_;
  uint64_t span_millis_;
  uint64_t num_rows_;
  std::vector<std::string> day_prefixes_;
  AliasTable channels_;
  AliasTable namespaces_;
  AliasTable bots_;
  AliasTable frequent_comments_;
  AliasTable sections_;
  AliasTable title_words_;
  AliasTable registered_users_;
  AliasTable pages_;
  AliasTable locations_;
  AliasTable comment_templates_;
  std::vector<std::vector<CommentPiece>> comment_pieces_;
  StringPool user_names_;
  StringPool page_titles_;
  std::vector<uint8_t> page_namespace_;
  std::vector<uint32_t> added_magnitudes_;
  std::vector<uint32_t> removed_magnitudes_;
  std::vector<int64_t> bot_typical_delta_;
};

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --rows N --out FILE|- [--seed S] [--days 7] [--start 2015-09-12]\n",
               argv0);
  return 2;
}

bool ParseUint(std::string_view s, uint64_t& value) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size();
}

int Main(int argc, char** argv) {
  uint64_t num_rows = 0, seed = 1, num_days = 7;
  bool have_rows = false;
  std::string out_path, start = "2015-09-12";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    const std::string_view value = argv[++i];
    if (arg == "--rows") {
      if (!ParseUint(value, num_rows)) return Usage(argv[0]);
      have_rows = true;
    } else if (arg == "--out") {
      out_path = value;
    } else if (arg == "--seed") {
      if (!ParseUint(value, seed)) return Usage(argv[0]);
    } else if (arg == "--days") {
      if (!ParseUint(value, num_days) || num_days == 0 || num_days > 3650) return Usage(argv[0]);
    } else if (arg == "--start") {
      start = value;
    } else {
      return Usage(argv[0]);
    }
  }
  if (!have_rows || out_path.empty()) return Usage(argv[0]);
  int year;
  unsigned month, day;
  if (std::sscanf(start.c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3 || month < 1 ||
      month > 12 || day < 1 || day > 31) {
    std::fprintf(stderr, "wikigen: --start must be YYYY-MM-DD, got '%s'\n", start.c_str());
    return 2;
  }

  const int fd = out_path == "-" ? STDOUT_FILENO
                                 : ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "wikigen: cannot open %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 1;
  }

  const auto setup_start = std::chrono::steady_clock::now();
  Generator generator(seed, DaysFromCivil(year, month, day), static_cast<int>(num_days),
                      std::max<uint64_t>(num_rows, 1));
  const auto rows_start = std::chrono::steady_clock::now();
  timespec cpu_start;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_start);
  Output out(fd);
  constexpr size_t kMaxRowBytes = 64 * 1024;  // far above the longest possible row
  for (uint64_t row = 0; row < num_rows; ++row) {
    if (!out.FlushIfFull(kMaxRowBytes)) {
      std::fprintf(stderr, "wikigen: write to %s failed: %s\n", out_path.c_str(),
                   std::strerror(errno));
      return 1;
    }
    generator.WriteRow(row, out);
  }
  if (!out.Flush() || (fd != STDOUT_FILENO && ::close(fd) != 0)) {
    std::fprintf(stderr, "wikigen: write to %s failed: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  const auto end = std::chrono::steady_clock::now();
  timespec cpu_end;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu_end);
  // CPU time of the generating thread alone (the writer thread's copies to the file excluded).
  const double cpu_seconds = static_cast<double>(cpu_end.tv_sec - cpu_start.tv_sec) +
                             static_cast<double>(cpu_end.tv_nsec - cpu_start.tv_nsec) * 1e-9;
  const double setup_seconds = std::chrono::duration<double>(rows_start - setup_start).count();
  const double row_seconds = std::chrono::duration<double>(end - rows_start).count();
  std::fprintf(stderr,
               "wikigen: %llu rows, %llu bytes (%.1f bytes/row) in %.2f s (+%.2f s setup): "
               "%.2f M rows/s, %.0f MB/s; generating thread %.2f s CPU = %.2f M rows/s per core\n",
               static_cast<unsigned long long>(num_rows),
               static_cast<unsigned long long>(out.bytes_written()),
               num_rows ? static_cast<double>(out.bytes_written()) / num_rows : 0.0, row_seconds,
               setup_seconds, num_rows / row_seconds / 1e6,
               out.bytes_written() / row_seconds / 1e6, cpu_seconds, num_rows / cpu_seconds / 1e6);
  return 0;
}

}  // namespace
}  // namespace strata::bench

int main(int argc, char** argv) { return strata::bench::Main(argc, argv); }
