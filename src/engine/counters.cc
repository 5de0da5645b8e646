#include "engine/counters.h"

#include <nlohmann/json.hpp>

namespace strata::engine {

namespace {
void AddAt(std::vector<int64_t>* v, int partition, int64_t amount) {
  if (static_cast<int>(v->size()) <= partition) v->resize(partition + 1, 0);
  (*v)[partition] += amount;
}
}  // namespace

void WorkerCounters::AddChannel(const std::string& name, int partition, int64_t rows, int64_t bytes, int64_t frames) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel& c = channels_[name];
  AddAt(&c.rows, partition, rows);
  AddAt(&c.bytes, partition, bytes);
  AddAt(&c.frames, partition, frames);
}

void WorkerCounters::AddFiles(const std::string& name, int partition, int64_t files, int64_t total_files) {
  std::lock_guard<std::mutex> lock(mu_);
  Channel& c = channels_[name];
  AddAt(&c.files, partition, files);
  AddAt(&c.total_files, partition, total_files);
}

void WorkerCounters::SetSortProgress(const SortProgress& progress) {
  std::lock_guard<std::mutex> lock(mu_);
  sort_ = progress;
  sort_.set = true;
}

void WorkerCounters::AddSegmentGeneration(int64_t processed, int64_t persisted, int64_t merged, int64_t pushed) {
  std::lock_guard<std::mutex> lock(mu_);
  has_segment_generation_ = true;
  rows_processed_ += processed;
  rows_persisted_ += persisted;
  rows_merged_ += merged;
  rows_pushed_ += pushed;
}

void WorkerCounters::AddWarning(const std::string& code) {
  std::lock_guard<std::mutex> lock(mu_);
  ++warnings_[code];
}

int64_t WorkerCounters::warnings(const std::string& code) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = warnings_.find(code);
  return it == warnings_.end() ? 0 : it->second;
}

int64_t WorkerCounters::ChannelRows(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(name);
  if (it == channels_.end()) return 0;
  int64_t total = 0;
  for (int64_t r : it->second.rows) total += r;
  return total;
}

std::string WorkerCounters::ToJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, c] : channels_) {
    nlohmann::ordered_json ch;
    ch["type"] = "channel";
    auto put = [&](const char* key, const std::vector<int64_t>& v) {
      bool any = false;
      for (int64_t x : v) any |= x != 0;
      if (any) ch[key] = v;
    };
    put("rows", c.rows);
    put("bytes", c.bytes);
    put("frames", c.frames);
    put("files", c.files);
    put("totalFiles", c.total_files);
    j[name] = std::move(ch);
  }
  if (sort_.set) {
    nlohmann::ordered_json s;
    s["type"] = "sortProgress";
    s["totalMergingLevels"] = sort_.total_merging_levels;
    nlohmann::ordered_json total = nlohmann::ordered_json::object(), merged = nlohmann::ordered_json::object();
    for (const auto& [lvl, n] : sort_.level_to_total_batches) total[std::to_string(lvl)] = n;
    for (const auto& [lvl, n] : sort_.level_to_merged_batches) merged[std::to_string(lvl)] = n;
    s["levelToTotalBatches"] = total;
    s["levelToMergedBatches"] = merged;
    s["totalMergersForUltimateLevel"] = sort_.total_mergers_for_ultimate_level;
    s["progressDigest"] = sort_.progress_digest;
    j["sortProgress"] = std::move(s);
  }
  if (has_segment_generation_) {
    j["segmentGenerationProgress"] = {{"type", "segmentGenerationProgress"},
                                      {"rowsProcessed", rows_processed_},
                                      {"rowsPersisted", rows_persisted_},
                                      {"rowsMerged", rows_merged_},
                                      {"rowsPushed", rows_pushed_}};
  }
  if (!warnings_.empty()) {
    nlohmann::ordered_json w;
    w["type"] = "warnings";
    for (const auto& [code, n] : warnings_) w[code] = n;
    j["warnings"] = std::move(w);
  }
  return j.dump();
}

std::shared_ptr<WorkerCounters> QueryCounters::ForWorker(int stage, int worker) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = counters_[stage][worker];
  if (!slot) slot = std::make_shared<WorkerCounters>();
  return slot;
}

std::string QueryCounters::ToJson() const {
  std::map<int, std::map<int, std::shared_ptr<WorkerCounters>>> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    copy = counters_;
  }
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [stage, workers] : copy) {
    nlohmann::ordered_json w = nlohmann::ordered_json::object();
    for (const auto& [worker, counters] : workers) w[std::to_string(worker)] = nlohmann::ordered_json::parse(counters->ToJson());
    j[std::to_string(stage)] = std::move(w);
  }
  return j.dump();
}

}  // namespace strata::engine
