// Parse speed of the "json" input format: newline-delimited wikipedia-like edits (20 fields, 16 of
// them in the signature) parsed into frames of kDefaultFrameRows rows. Reports rows/s and bytes/s
// for one core.
#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "columnar/frame.h"
#include "input/input_format.h"
#include "io/input_stream.h"

namespace strata::input {
namespace {

// Reads a buffer owned by the benchmark, so that iterations do not copy the input.
class ViewInputStream : public io::InputStream {
 public:
  explicit ViewInputStream(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  uint64_t bytes_read() const override { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

std::string JsonString(const std::string& s) { return "\"" + s + "\""; }

// `num_rows` lines shaped like the wikiticker sample.
std::string MakeWikipediaLines(int num_rows) {
  std::mt19937_64 rng(42);
  const std::vector<std::string> channels = {"#en.wikipedia", "#de.wikipedia", "#fr.wikipedia", "#ja.wikipedia",
                                             "#vi.wikipedia", "#ca.wikipedia", "#ru.wikipedia", "#it.wikipedia"};
  const std::vector<std::string> cities = {"Auburn", "Buenos Aires", "Seoul", "Paris", "Mumbai", "Toronto"};
  const std::vector<std::string> countries = {"AU", "AR", "KR", "FR", "IN", "CA"};
  const std::vector<std::string> namespaces = {"Main", "Talk", "User", "Wikipedia", "Category", "File"};
  const std::vector<std::string> words = {"added",  "project", "fixed", "spelling", "Robot", "inserta",
                                          "update", "links",   "cat",   "revert",   "ngày",  "tháng"};
  std::ostringstream out;
  for (int i = 0; i < num_rows; ++i) {
    auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[rng() % v.size()]; };
    bool has_city = rng() % 4 == 0;
    std::string comment;
    int num_words = 2 + static_cast<int>(rng() % 10);
    for (int w = 0; w < num_words; ++w) comment += (w ? " " : "") + pick(words);
    int delta = static_cast<int>(rng() % 2000) - 500;
    char time[64];
    std::snprintf(time, sizeof(time), "2015-09-12T%02d:%02d:%02d.%03dZ", (i / 3600000) % 24, (i / 60000) % 60,
                  (i / 1000) % 60, i % 1000);
    out << "{\"time\":" << JsonString(time) << ",\"channel\":" << JsonString(pick(channels))
        << ",\"cityName\":" << (has_city ? JsonString(pick(cities)) : "null")
        << ",\"comment\":" << JsonString(comment)
        << ",\"countryIsoCode\":" << (has_city ? JsonString(pick(countries)) : "null")
        << ",\"countryName\":" << (has_city ? JsonString("Country " + pick(countries)) : "null")
        << ",\"isAnonymous\":" << (rng() % 5 == 0 ? "true" : "false")
        << ",\"isMinor\":" << (rng() % 3 == 0 ? "true" : "false") << ",\"isNew\":" << (rng() % 7 == 0 ? "true" : "false")
        << ",\"isRobot\":" << (rng() % 6 == 0 ? "true" : "false")
        << ",\"isUnpatrolled\":false,\"metroCode\":null,\"namespace\":" << JsonString(pick(namespaces))
        << ",\"page\":" << JsonString("Page " + std::to_string(rng() % 100000))
        << ",\"regionIsoCode\":null,\"regionName\":null"
        << ",\"user\":" << JsonString("User" + std::to_string(rng() % 5000)) << ",\"delta\":" << delta
        << ",\"added\":" << std::max(delta, 0) << ",\"deleted\":" << std::max(-delta, 0) << "}\n";
  }
  return out.str();
}

std::vector<InputColumn> WikipediaSignature() {
  using types::ColumnType;
  std::vector<InputColumn> signature;
  for (const char* name : {"time", "channel", "cityName", "comment", "countryIsoCode", "countryName", "isAnonymous",
                           "isMinor", "isNew", "isRobot", "namespace", "page", "user"}) {
    signature.push_back({name, ColumnType::kString});
  }
  for (const char* name : {"delta", "added", "deleted"}) signature.push_back({name, ColumnType::kLong});
  return signature;
}

void ParseAll(benchmark::State& state, const std::string& data, const std::vector<InputColumn>& signature) {
  InputFormatSpec format;
  format.type = "json";
  int64_t rows = 0;
  for (auto _ : state) {
    auto reader = NewRowReader(format, signature, std::make_unique<ViewInputStream>(data), "bench", nullptr);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      return;
    }
    columnar::Frame frame;
    while (true) {
      Result<bool> more = (*reader)->Next(columnar::kDefaultFrameRows, &frame);
      if (!more.ok()) {
        state.SkipWithError(more.status().ToString().c_str());
        return;
      }
      if (!*more) break;
      rows += frame.num_rows;
      benchmark::DoNotOptimize(frame.columns.data());
    }
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
}

void BM_JsonReaderWikipedia16Columns(benchmark::State& state) {
  static const std::string data = MakeWikipediaLines(200000);
  ParseAll(state, data, WikipediaSignature());
}
BENCHMARK(BM_JsonReaderWikipedia16Columns)->Unit(benchmark::kMillisecond);

// Only 3 of the 20 fields in the signature: the others are validated and skipped.
void BM_JsonReaderWikipedia3Columns(benchmark::State& state) {
  static const std::string data = MakeWikipediaLines(200000);
  ParseAll(state, data, {{"channel", types::ColumnType::kString}, {"page", types::ColumnType::kString},
                         {"added", types::ColumnType::kLong}});
}
BENCHMARK(BM_JsonReaderWikipedia3Columns)->Unit(benchmark::kMillisecond);

// The real wikiticker sample, if present (lines with longer comments and non-ASCII text).
void BM_JsonReaderWikitickerFile(benchmark::State& state) {
  static const std::string data = [] {
    std::ifstream in("/work/shared/data/wikiticker-2015-09-12-sampled.json", std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }();
  if (data.empty()) {
    state.SkipWithError("wikiticker sample not found");
    return;
  }
  ParseAll(state, data, WikipediaSignature());
}
BENCHMARK(BM_JsonReaderWikitickerFile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace strata::input

BENCHMARK_MAIN();
