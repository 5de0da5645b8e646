#include "io/compression.h"

#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

namespace strata::io {

void Compress(Codec codec, std::string_view data, std::string* out) {
  size_t base = out->size();
  switch (codec) {
    case Codec::kNone:
      out->append(data);
      return;
    case Codec::kLz4: {
      int bound = LZ4_compressBound(static_cast<int>(data.size()));
      out->resize(base + bound);
      int n = LZ4_compress_default(data.data(), out->data() + base, static_cast<int>(data.size()), bound);
      out->resize(base + (n > 0 ? n : 0));
      return;
    }
    case Codec::kZstd: {
      size_t bound = ZSTD_compressBound(data.size());
      out->resize(base + bound);
      size_t n = ZSTD_compress(out->data() + base, bound, data.data(), data.size(), 3);
      out->resize(base + (ZSTD_isError(n) ? 0 : n));
      return;
    }
  }
}

Status Decompress(Codec codec, std::string_view data, char* out, size_t uncompressed_size) {
  switch (codec) {
    case Codec::kNone:
      if (data.size() != uncompressed_size) return Status::Corruption("stored block size mismatch");
      std::memcpy(out, data.data(), data.size());
      return Status::OK();
    case Codec::kLz4: {
      int n = LZ4_decompress_safe(data.data(), out, static_cast<int>(data.size()), static_cast<int>(uncompressed_size));
      if (n < 0 || static_cast<size_t>(n) != uncompressed_size) return Status::Corruption("bad LZ4 block");
      return Status::OK();
    }
    case Codec::kZstd: {
      size_t n = ZSTD_decompress(out, uncompressed_size, data.data(), data.size());
      if (ZSTD_isError(n) || n != uncompressed_size) return Status::Corruption("bad ZSTD block");
      return Status::OK();
    }
  }
  return Status::Corruption("unknown codec");
}

namespace {

class GzipInputStream : public InputStream {
 public:
  explicit GzipInputStream(std::unique_ptr<InputStream> source) : source_(std::move(source)), in_(1 << 16) {
    std::memset(&zs_, 0, sizeof(zs_));
    // 16 + MAX_WBITS: expect a gzip header.
    init_ok_ = inflateInit2(&zs_, 16 + MAX_WBITS) == Z_OK;
  }
  ~GzipInputStream() override { inflateEnd(&zs_); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (!init_ok_) return Status::Internal("zlib init failed");
    if (done_) return size_t{0};
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(n);
    while (zs_.avail_out == n) {
      if (zs_.avail_in == 0) {
        ASSIGN_OR_RETURN(size_t got, source_->Read(in_.data(), in_.size()));
        if (got == 0) {
          if (!at_member_start_) return Status::Corruption("truncated gzip stream");
          done_ = true;
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(got);
      }
      at_member_start_ = false;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Concatenated members: reset and continue with the next one.
        inflateReset(&zs_);
        at_member_start_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::Corruption(std::string("invalid gzip data: ") + (zs_.msg ? zs_.msg : "unknown"));
      }
    }
    return n - zs_.avail_out;
  }
  uint64_t bytes_read() const override { return source_->bytes_read(); }
  void Cancel() override { source_->Cancel(); }

 private:
  std::unique_ptr<InputStream> source_;
  std::vector<char> in_;
  z_stream zs_;
  bool init_ok_ = false;
  bool done_ = false;
  bool at_member_start_ = true;
};

}  // namespace

std::unique_ptr<InputStream> NewGzipInputStream(std::unique_ptr<InputStream> source) {
  return std::make_unique<GzipInputStream>(std::move(source));
}

std::string GzipCompress(std::string_view data) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  out.resize(deflateBound(&zs, data.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace strata::io
