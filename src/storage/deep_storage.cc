#include "storage/deep_storage.h"

#include <nlohmann/json.hpp>

namespace strata::storage {
namespace {

std::string SafeName(std::string s) {
  for (char& c : s) {
    if (c == '/' || c == ':') c = '_';
  }
  return s;
}

class LocalDeepStorage : public DeepStorage {
 public:
  LocalDeepStorage(io::FileSystem* fs, std::string base_dir) : fs_(fs), base_dir_(std::move(base_dir)) {}

  std::string Dir(const catalog::SegmentId& id) const {
    std::string dir = io::JoinPath(base_dir_, SafeName(id.datasource));
    dir = io::JoinPath(dir, SafeName(types::FormatIso8601(id.interval.start) + "_" + types::FormatIso8601(id.interval.end)));
    dir = io::JoinPath(dir, SafeName(id.version));
    return io::JoinPath(dir, std::to_string(id.partition_num));
  }

  std::string LocalPath(const catalog::SegmentId& id) const override { return io::JoinPath(Dir(id), "index.seg"); }

  Result<std::string> Push(const std::string& local_file, const catalog::SegmentId& id) override {
    std::string dir = Dir(id);
    RETURN_IF_ERROR(fs_->CreateDirs(dir));
    std::string target = LocalPath(id);
    Status s = fs_->RenameFile(local_file, target);
    if (!s.ok()) {
      // Different file systems: copy, then remove the source.
      ASSIGN_OR_RETURN(std::string bytes, fs_->ReadFileToString(local_file));
      RETURN_IF_ERROR(fs_->WriteFileAtomically(target, bytes));
      fs_->DeleteFile(local_file);
    }
    RETURN_IF_ERROR(fs_->SyncDir(dir));
    nlohmann::json spec = {{"type", "local"}, {"path", target}};
    return spec.dump();
  }

  Status Remove(const catalog::SegmentId& id) override { return fs_->DeleteRecursively(Dir(id)); }

 private:
  io::FileSystem* fs_;
  std::string base_dir_;
};

}  // namespace

std::unique_ptr<DeepStorage> NewLocalDeepStorage(io::FileSystem* fs, std::string base_dir) {
  return std::make_unique<LocalDeepStorage>(fs, std::move(base_dir));
}

}  // namespace strata::storage
