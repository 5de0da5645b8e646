#include "http/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <condition_variable>
#include <mutex>
#include <set>

#include "base/logging.h"
#include "http/error_mapping.h"

namespace strata::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class BeastResponder : public HttpResponder {
 public:
  BeastResponder(tcp::socket* socket, unsigned version, bool keep_alive)
      : socket_(socket), version_(version), keep_alive_(keep_alive) {}

  void Respond(int status, Headers headers, std::string body) override {
    if (started_) return;
    started_ = true;
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), version_};
    res.set(bhttp::field::server, "Strata");
    for (auto& [k, v] : headers) res.set(k, v);
    res.keep_alive(keep_alive_);
    res.body() = std::move(body);
    res.prepare_payload();
    beast::error_code ec;
    bhttp::write(*socket_, res, ec);
    if (ec) failed_ = true;
    completed_ = true;
  }

  Status BeginStream(int status, Headers headers) override {
    if (started_) return Status::Internal("response already started");
    started_ = true;
    bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(status), version_};
    res.set(bhttp::field::server, "Strata");
    for (auto& [k, v] : headers) res.set(k, v);
    res.keep_alive(keep_alive_);
    res.chunked(true);
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    beast::error_code ec;
    bhttp::write_header(*socket_, sr, ec);
    if (ec) {
      failed_ = true;
      return Status::IoError("client went away: " + ec.message());
    }
    return Status::OK();
  }

  Status Write(std::string_view data) override {
    if (data.empty()) return Status::OK();
    beast::error_code ec;
    net::write(*socket_, bhttp::make_chunk(net::const_buffer(data.data(), data.size())), ec);
    if (ec) {
      failed_ = true;
      return Status::IoError("client went away: " + ec.message());
    }
    return Status::OK();
  }

  Status EndStream() override {
    beast::error_code ec;
    net::write(*socket_, bhttp::make_chunk_last(), ec);
    completed_ = true;
    if (ec) {
      failed_ = true;
      return Status::IoError("client went away: " + ec.message());
    }
    return Status::OK();
  }

  void Abort() override { failed_ = true; }
  bool started() const override { return started_; }
  bool reusable() const { return keep_alive_ && completed_ && !failed_; }

 private:
  tcp::socket* socket_;
  unsigned version_;
  bool keep_alive_;
  bool started_ = false;
  bool completed_ = false;
  bool failed_ = false;
};

}  // namespace

struct HttpServer::Impl {
  net::io_context ioc{1};
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread accept_thread;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable cv;
  int open_connections = 0;
  std::set<int> open_sockets;  // native handles, shut down by Stop()
};

HttpServer::HttpServer(std::string host, int port, const Router* router)
    : host_(std::move(host)), port_(port), router_(router), impl_(std::make_unique<Impl>()) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  beast::error_code ec;
  auto address = net::ip::make_address(host_, ec);
  if (ec) return Status::InvalidInput("invalid listen address [" + host_ + "]: " + ec.message());
  tcp::endpoint endpoint{address, static_cast<unsigned short>(port_)};
  impl_->acceptor = std::make_unique<tcp::acceptor>(impl_->ioc);
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("cannot listen on " + host_ + ":" + std::to_string(port_) + ": " + ec.message());
  port_ = impl_->acceptor->local_endpoint().port();
  const Router* router = router_;
  Impl* impl = impl_.get();
  impl_->accept_thread = std::thread([impl, router] {
    while (!impl->stopping.load()) {
      tcp::socket socket(impl->ioc);
      beast::error_code aec;
      impl->acceptor->accept(socket, aec);
      if (aec) {
        if (impl->stopping.load()) break;
        continue;
      }
      // Responses are written in pieces (headers, chunks); without TCP_NODELAY a keep-alive client
      // waits out Nagle's algorithm against its delayed ACK (~40 ms) on every request.
      socket.set_option(tcp::no_delay(true), aec);
      int fd = socket.native_handle();
      {
        std::lock_guard<std::mutex> lock(impl->mu);
        ++impl->open_connections;
        impl->open_sockets.insert(fd);
      }
      std::thread([impl, router, fd, s = std::move(socket)]() mutable {
        try {
          beast::flat_buffer buffer;
          while (!impl->stopping.load()) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.body_limit(256ull << 20);
            beast::error_code rec;
            bhttp::read(s, buffer, parser, rec);
            if (rec) break;
            auto& req = parser.get();
            HttpRequest request;
            request.method = std::string(req.method_string());
            std::string_view target(req.target().data(), req.target().size());
            size_t q = target.find('?');
            request.path = PercentDecode(target.substr(0, q), false);
            if (q != std::string_view::npos) {
              std::string_view qs = target.substr(q + 1);
              size_t start = 0;
              while (start <= qs.size()) {
                size_t amp = qs.find('&', start);
                if (amp == std::string_view::npos) amp = qs.size();
                std::string_view kv = qs.substr(start, amp - start);
                if (!kv.empty()) {
                  size_t eq = kv.find('=');
                  std::string key = PercentDecode(kv.substr(0, eq), true);
                  std::string value = eq == std::string_view::npos ? "" : PercentDecode(kv.substr(eq + 1), true);
                  request.query[key] = value;
                }
                start = amp + 1;
              }
            }
            for (const auto& field : req) {
              std::string name(field.name_string());
              for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
              request.headers[name] = std::string(field.value());
            }
            request.body = std::move(req.body());
            BeastResponder responder(&s, req.version(), req.keep_alive());
            bool method_mismatch = false;
            const Handler* handler = router->Match(&request, &method_mismatch);
            if (handler == nullptr) {
              Status st = method_mismatch ? Status(StatusCode::kUnsupported, "Method [" + request.method + "] is not allowed on [" + request.path + "]")
                                          : Status::NotFound("Resource [" + request.path + "] not found");
              ErrorResponse err = MapError(st);
              responder.Respond(method_mismatch ? 405 : 404, {{"Content-Type", "application/json"}}, err.json);
            } else {
              try {
                (*handler)(request, &responder);
              } catch (const std::exception& e) {
                LOG_ERROR("handler for {} {} threw: {}", request.method, request.path, e.what());
                if (!responder.started()) {
                  ErrorResponse err = MapError(Status::Internal(std::string("internal error: ") + e.what()));
                  responder.Respond(err.http_status, {{"Content-Type", "application/json"}}, err.json);
                } else {
                  responder.Abort();
                }
              }
              if (!responder.started()) {
                ErrorResponse err = MapError(Status::Internal("handler produced no response"));
                responder.Respond(err.http_status, {{"Content-Type", "application/json"}}, err.json);
              }
            }
            if (!responder.reusable()) break;
          }
          beast::error_code sec;
          s.shutdown(tcp::socket::shutdown_both, sec);
        } catch (const std::exception& e) {
          LOG_ERROR("connection failed: {}", e.what());
        } catch (...) {
          LOG_ERROR("connection failed with an unknown exception");
        }
        std::lock_guard<std::mutex> lock(impl->mu);
        impl->open_sockets.erase(fd);
        --impl->open_connections;
        impl->cv.notify_all();
      }).detach();
    }
  });
  return Status::OK();
}

void HttpServer::Stop() {
  if (!impl_ || !impl_->acceptor) return;
  if (impl_->stopping.exchange(true)) return;
  beast::error_code ec;
  // Wake the blocking accept by connecting to ourselves.
  try {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address(host_ == "0.0.0.0" ? "127.0.0.1" : host_), static_cast<unsigned short>(port_)), ec);
  } catch (...) {
  }
  if (impl_->accept_thread.joinable()) impl_->accept_thread.join();
  impl_->acceptor->close(ec);
  std::unique_lock<std::mutex> lock(impl_->mu);
  // Idle keep-alive connections block in read: shut them down so their threads end.
  for (int fd : impl_->open_sockets) ::shutdown(fd, SHUT_RDWR);
  impl_->cv.wait_for(lock, std::chrono::seconds(10), [&] { return impl_->open_connections == 0; });
}

}  // namespace strata::http
