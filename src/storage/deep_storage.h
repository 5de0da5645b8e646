// Deep storage: where published segment files live durably. The embedded default keeps them under
// <data-dir>/deep-storage/<datasource>/<start>_<end>/<version>/<partition>/index.seg; S3-compatible
// storage comes with cluster mode behind the same interface.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "catalog/segment_id.h"
#include "io/file_system.h"

namespace strata::storage {

class DeepStorage {
 public:
  virtual ~DeepStorage() = default;
  /// Moves or copies a finished local segment file into deep storage and returns its loadSpec
  /// JSON (e.g. {"type":"local","path":"/abs/.../index.seg"}). Idempotent for the same id.
  virtual Result<std::string> Push(const std::string& local_file, const catalog::SegmentId& id) = 0;
  /// Deletes a pushed segment (kill / cleanup of unpublished output). Missing files are fine.
  virtual Status Remove(const catalog::SegmentId& id) = 0;
  /// The local path of a pushed segment (for local storage, the stored file itself).
  virtual std::string LocalPath(const catalog::SegmentId& id) const = 0;
};

/// Deep storage on the local file system.
std::unique_ptr<DeepStorage> NewLocalDeepStorage(io::FileSystem* fs, std::string base_dir);

}  // namespace strata::storage
