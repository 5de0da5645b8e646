#include "input/internal/http_input_stream.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "base/thread_annotations.h"

namespace strata::input::internal {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

class HttpInputStream final : public io::InputStream {
 public:
  HttpInputStream(std::string url, HttpCredentials credentials)
      : url_(std::move(url)), credentials_(std::move(credentials)) {
    InitCurlOnce();
    thread_ = std::thread([this] { RunTransfer(); });
  }

  ~HttpInputStream() override {
    canceled_.store(true);
    {
      std::lock_guard<std::mutex> lock(mu_);
      space_available_.notify_all();
    }
    thread_.join();
  }

  Result<size_t> Read(char* buf, size_t n) override {
    if (n == 0) return size_t{0};
    std::unique_lock<std::mutex> lock(mu_);
    data_available_.wait(lock, [this] { return !chunks_.empty() || finished_ || reader_canceled_; });
    if (reader_canceled_) return Status::Canceled("HTTP download of [" + url_ + "] was canceled");
    if (chunks_.empty()) {
      if (!status_.ok()) return status_;
      return size_t{0};
    }
    size_t copied = 0;
    while (copied < n && !chunks_.empty()) {
      std::string& front = chunks_.front();
      size_t take = std::min(n - copied, front.size() - front_offset_);
      std::memcpy(buf + copied, front.data() + front_offset_, take);
      copied += take;
      front_offset_ += take;
      if (front_offset_ == front.size()) {
        chunks_.pop_front();
        front_offset_ = 0;
      }
    }
    buffered_bytes_ -= copied;
    bytes_read_ += copied;
    space_available_.notify_all();
    return copied;
  }

  uint64_t bytes_read() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return bytes_read_;
  }

  void Cancel() override {
    canceled_.store(true);
    std::lock_guard<std::mutex> lock(mu_);
    reader_canceled_ = true;
    data_available_.notify_all();
    space_available_.notify_all();
  }

 private:
  // The transfer thread's entry point.
  void RunTransfer() {
    Status status;
    try {
      status = Transfer();
    } catch (...) {
      status = Status::Internal("HTTP download of [" + url_ + "] failed with an unexpected exception");
    }
    std::lock_guard<std::mutex> lock(mu_);
    status_ = std::move(status);
    finished_ = true;
    data_available_.notify_all();
  }

  Status Transfer() {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Status::IoError("HTTP download of [" + url_ + "] failed: cannot initialise libcurl");
    char error_text[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85 replaced the bit masks by strings
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &HttpInputStream::OnData);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
    // The progress callback runs about once a second even when no data arrives, so a reader
    // that went away stops a stalled transfer too.
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &HttpInputStream::OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    if (credentials_.username && !credentials_.username->empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(curl, CURLOPT_USERNAME, credentials_.username->c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, credentials_.password ? credentials_.password->c_str() : "");
    }
    CURLcode code = curl_easy_perform(curl);
    long http_status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
    curl_easy_cleanup(curl);

    if (code == CURLE_OK) return Status::OK();
    if (canceled_.load()) return Status::Canceled("HTTP download of [" + url_ + "] was canceled");
    if (code == CURLE_HTTP_RETURNED_ERROR || http_status >= 400) {
      return Status::IoError("HTTP request for [" + url_ + "] failed with status [" + std::to_string(http_status) +
                             "]");
    }
    std::string reason = error_text[0] != '\0' ? std::string(error_text) : std::string(curl_easy_strerror(code));
    return Status::IoError("HTTP request for [" + url_ + "] failed: " + reason);
  }

  static size_t OnData(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<HttpInputStream*>(user);
    size_t bytes = size * count;
    std::unique_lock<std::mutex> lock(self->mu_);
    self->space_available_.wait(
        lock, [self] { return self->buffered_bytes_ < kMaxBufferedBytes || self->canceled_.load(); });
    if (self->canceled_.load()) return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
    self->chunks_.emplace_back(data, bytes);
    self->buffered_bytes_ += bytes;
    self->data_available_.notify_all();
    return bytes;
  }

  static int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<HttpInputStream*>(user)->canceled_.load() ? 1 : 0;
  }

  const std::string url_;
  const HttpCredentials credentials_;
  std::atomic<bool> canceled_{false};

  mutable std::mutex mu_;
  std::condition_variable data_available_;   // chunks_ grew or the transfer finished
  std::condition_variable space_available_;  // the reader took data, or canceled_
  std::deque<std::string> chunks_ GUARDED_BY(mu_);
  size_t front_offset_ GUARDED_BY(mu_) = 0;  // bytes of chunks_.front() already read
  size_t buffered_bytes_ GUARDED_BY(mu_) = 0;
  uint64_t bytes_read_ GUARDED_BY(mu_) = 0;
  bool finished_ GUARDED_BY(mu_) = false;
  bool reader_canceled_ GUARDED_BY(mu_) = false;
  Status status_ GUARDED_BY(mu_);

  std::thread thread_;  // started by the constructor body, once every other member exists
};

}  // namespace

std::unique_ptr<io::InputStream> OpenHttpStream(const std::string& url, const HttpCredentials& credentials) {
  return std::make_unique<HttpInputStream>(url, credentials);
}

}  // namespace strata::input::internal
