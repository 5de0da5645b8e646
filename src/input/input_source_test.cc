#include "input/input_source.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "columnar/frame.h"
#include "input/input_format.h"
#include "io/compression.h"

namespace strata::input {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadAll(io::InputStream* in) {
  std::string out;
  char buf[4096];
  while (true) {
    ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof(buf)));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Result<std::string> OpenAndReadAll(const InputSource& source, const InputSlice& slice) {
  ASSIGN_OR_RETURN(auto stream, source.Open(slice));
  return ReadAll(stream.get());
}

std::unique_ptr<InputSource> MustParse(const std::string& json) {
  auto source = InputSource::FromJson(json);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  return source.ok() ? std::move(*source) : nullptr;
}

std::string ErrorOf(const std::string& json) {
  auto source = InputSource::FromJson(json);
  EXPECT_FALSE(source.ok());
  if (source.ok()) return "";
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidInput);
  return source.status().message();
}

// ---------------------------------------------------------------------------------------------
// local

class LocalInputSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("strata_input_source_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub" / "deeper");
    Write("b.json", "{\"x\":2}\n");
    Write("a.json", "{\"x\":1}\n");
    Write("sub/c.json", "{\"x\":3}\n");
    Write("sub/deeper/d.json", "{\"x\":4}\n");
    Write("sub/e.csv", "1,2\n");
    Write("empty.json", "");
    Write("z.json.gz", io::GzipCompress("{\"x\":5}\n"));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& data) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << data;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(LocalInputSourceTest, BaseDirFilterIsRecursiveSortedAndSkipsEmptyFiles) {
  auto source = MustParse(R"({"type":"local","baseDir":")" + dir_.string() + R"(","filter":"*.json"})");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type(), "local");
  auto slices = source->Slices();
  ASSERT_TRUE(slices.ok()) << slices.status().ToString();
  ASSERT_EQ(slices->size(), 4u);
  EXPECT_EQ((*slices)[0].uri, "file:" + Path("a.json"));
  EXPECT_EQ((*slices)[0].location, Path("a.json"));
  EXPECT_EQ((*slices)[0].size_bytes, 8);
  EXPECT_EQ((*slices)[1].location, Path("b.json"));
  EXPECT_EQ((*slices)[2].location, Path("sub/c.json"));
  EXPECT_EQ((*slices)[3].location, Path("sub/deeper/d.json"));
  auto text = OpenAndReadAll(*source, (*slices)[3]);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{\"x\":4}\n");
}

TEST_F(LocalInputSourceTest, GlobPatterns) {
  auto csv = MustParse(R"({"type":"local","baseDir":")" + dir_.string() + R"(","filter":"?.csv"})");
  auto slices = csv->Slices();
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 1u);
  EXPECT_EQ((*slices)[0].location, Path("sub/e.csv"));

  auto all = MustParse(R"({"type":"local","baseDir":")" + dir_.string() + R"(","filter":"*"})");
  auto every = all->Slices();
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->size(), 6u);  // everything but empty.json

  auto classes = MustParse(R"({"type":"local","baseDir":")" + dir_.string() + R"(","filter":"[ab].json"})");
  auto ab = classes->Slices();
  ASSERT_TRUE(ab.ok());
  ASSERT_EQ(ab->size(), 2u);
  EXPECT_EQ((*ab)[1].location, Path("b.json"));
}

TEST_F(LocalInputSourceTest, FilesListAndGzip) {
  std::string json = R"({"type":"local","files":[")" + Path("z.json.gz") + R"(",")" + Path("a.json") + R"(",")" +
                     Path("empty.json") + R"(",")" + Path("a.json") + R"("]})";
  auto source = MustParse(json);
  auto slices = source->Slices();
  ASSERT_TRUE(slices.ok()) << slices.status().ToString();
  ASSERT_EQ(slices->size(), 2u);  // sorted, empty skipped, duplicate once
  EXPECT_EQ((*slices)[0].uri, "file:" + Path("a.json"));
  EXPECT_EQ((*slices)[1].uri, "file:" + Path("z.json.gz"));
  auto text = OpenAndReadAll(*source, (*slices)[1]);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{\"x\":5}\n");
  EXPECT_EQ(source->ToJson(), R"({"type":"local","baseDir":null,"filter":null,"files":[")" + Path("z.json.gz") +
                                  R"(",")" + Path("a.json") + R"(",")" + Path("empty.json") + R"(",")" +
                                  Path("a.json") + R"("]})");
}

TEST_F(LocalInputSourceTest, RelativeFilesBecomeAbsolute) {
  fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  auto source = MustParse(R"({"type":"local","files":["sub/../a.json"]})");
  auto slices = source->Slices();
  fs::current_path(cwd);
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 1u);
  EXPECT_EQ((*slices)[0].uri, "file:" + Path("a.json"));
}

TEST_F(LocalInputSourceTest, ToJsonEchoesFields) {
  auto source = MustParse(R"({"type":"local","baseDir":"/data","filter":"*.json"})");
  EXPECT_EQ(source->ToJson(), R"({"type":"local","baseDir":"/data","filter":"*.json","files":null})");
}

TEST_F(LocalInputSourceTest, Errors) {
  EXPECT_EQ(ErrorOf(R"({"type":"local","baseDir":"/data"})"),
            "Invalid value for the field [inputSource]. Reason: [filter] is required with [baseDir] [/data] "
            "(use \"*\" to read every file)");
  EXPECT_EQ(ErrorOf(R"({"type":"local"})"),
            "Invalid value for the field [inputSource]. Reason: at least one of [baseDir] and [files] must be given "
            "for the [local] input source");
  EXPECT_EQ(ErrorOf(R"({"type":"local","files":"a.json"})"),
            "Invalid value for the field [inputSource]. Reason: [files] must be an array of paths, got \"a.json\"");
  EXPECT_EQ(ErrorOf(R"({"type":"local","baseDir":7,"filter":"*"})"),
            "Invalid value for the field [inputSource]. Reason: [baseDir] must be a string, got 7");

  auto missing_dir = MustParse(R"({"type":"local","baseDir":")" + Path("nope") + R"(","filter":"*"})");
  auto slices = missing_dir->Slices();
  EXPECT_EQ(slices.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(slices.status().message(),
            "Invalid value for the field [inputSource]. Reason: baseDir [" + Path("nope") + "] does not exist");

  auto missing_file = MustParse(R"({"type":"local","files":[")" + Path("nope.json") + R"("]})");
  EXPECT_EQ(missing_file->Slices().status().message(),
            "Invalid value for the field [inputSource]. Reason: file [" + Path("nope.json") +
                "] in [files] does not exist");
}

// ---------------------------------------------------------------------------------------------
// inline and parsing errors

TEST(InlineInputSourceTest, OneSlice) {
  auto source = MustParse(R"({"type":"inline","data":"{\"a\":1}\n{\"a\":2}\n"})");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type(), "inline");
  auto slices = source->Slices();
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 1u);
  EXPECT_EQ((*slices)[0].uri, "inline");
  EXPECT_EQ((*slices)[0].location, "");
  EXPECT_EQ((*slices)[0].size_bytes, 16);
  auto text = OpenAndReadAll(*source, (*slices)[0]);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(source->ToJson(), R"({"type":"inline","data":"{\"a\":1}\n{\"a\":2}\n"})");
  EXPECT_EQ(ErrorOf(R"({"type":"inline"})"),
            "Invalid value for the field [inputSource]. Reason: [data] must be a string for the [inline] input source");
}

TEST(InputSourceTest, UnknownTypeAndSyntaxErrors) {
  EXPECT_EQ(ErrorOf(R"({"type":"s3","uris":["s3://b/x"]})"),
            "Invalid value for the field [inputSource]. Reason: unknown input source type [s3]");
  EXPECT_EQ(ErrorOf(R"({"baseDir":"/x"})"),
            "Invalid value for the field [inputSource]. Reason: missing the input source [type] (one of local, http, "
            "inline)");
  std::string syntax = ErrorOf(R"({"type":"inline",)");
  EXPECT_EQ(syntax.rfind("Invalid value for the field [inputSource]. Reason: ", 0), 0u);
  EXPECT_NE(syntax.find("parse error"), std::string::npos);
  EXPECT_EQ(ErrorOf("[1]"), "Invalid value for the field [inputSource]. Reason: expected a JSON object, got [1]");
}

// ---------------------------------------------------------------------------------------------
// http

// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, serving canned responses one
// connection at a time.
class TestHttpServer {
 public:
  struct Response {
    int status = 200;
    std::string body;
    std::string extra_headers;            // "Name: value\r\n" lines
    std::string required_authorization;  // if set, other Authorization headers get 401
  };

  TestHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }

  ~TestHttpServer() {
    stop_.store(true);
    thread_.join();
    ::close(listen_fd_);
  }

  void Route(const std::string& path, Response response) {
    std::lock_guard<std::mutex> lock(mu_);
    routes_[path] = std::move(response);
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  std::string last_authorization() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_authorization_;
  }

 private:
  void Serve() {
    while (!stop_.load()) {
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 50) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      Handle(fd);
      ::close(fd);
    }
  }

  void Handle(int fd) {
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) return;
      request.append(buf, static_cast<size_t>(n));
    }
    size_t path_begin = request.find(' ') + 1;
    std::string path = request.substr(path_begin, request.find(' ', path_begin) - path_begin);
    std::string authorization;
    size_t auth = request.find("\r\nAuthorization: ");
    if (auth != std::string::npos) {
      size_t begin = auth + 17;
      authorization = request.substr(begin, request.find("\r\n", begin) - begin);
    }
    Response response;
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_authorization_ = authorization;
      auto it = routes_.find(path);
      if (it == routes_.end()) {
        response.status = 404;
        response.body = "not found";
      } else {
        response = it->second;
      }
    }
    if (!response.required_authorization.empty() && authorization != response.required_authorization) {
      response = Response{401, "unauthorized", "WWW-Authenticate: Basic realm=\"test\"\r\n", ""};
    }
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " X\r\nContent-Length: " +
                       std::to_string(response.body.size()) + "\r\nConnection: close\r\n" + response.extra_headers +
                       "\r\n";
    if (!SendAll(fd, head)) return;
    SendAll(fd, response.body);
  }

  static bool SendAll(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::map<std::string, Response> routes_;
  std::string last_authorization_;
  std::thread thread_;
};

class HttpInputSourceTest : public ::testing::Test {
 protected:
  std::unique_ptr<InputSource> Source(const std::vector<std::string>& paths, const std::string& auth = "") {
    std::string json = R"({"type":"http","uris":[)";
    for (size_t i = 0; i < paths.size(); ++i) json += (i ? ",\"" : "\"") + server_.Url(paths[i]) + "\"";
    json += "]" + auth + "}";
    return MustParse(json);
  }

  TestHttpServer server_;
};

TEST_F(HttpInputSourceTest, ReadsBodiesAndGzip) {
  server_.Route("/data.json", {200, "{\"a\":1}\n{\"a\":2}\n", "", ""});
  // The query string is not part of the name: this is still a .gz file.
  server_.Route("/data.json.gz?sig=1", {200, io::GzipCompress("{\"a\":3}\n"), "", ""});
  auto source = Source({"/data.json", "/data.json.gz?sig=1"});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type(), "http");
  auto slices = source->Slices();
  ASSERT_TRUE(slices.ok());
  ASSERT_EQ(slices->size(), 2u);
  EXPECT_EQ((*slices)[0].uri, server_.Url("/data.json"));
  EXPECT_EQ((*slices)[0].location, server_.Url("/data.json"));
  EXPECT_EQ((*slices)[0].size_bytes, -1);
  auto plain = OpenAndReadAll(*source, (*slices)[0]);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain, "{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(server_.last_authorization(), "");

  auto gz = OpenAndReadAll(*source, (*slices)[1]);
  ASSERT_TRUE(gz.ok()) << gz.status().ToString();
  EXPECT_EQ(*gz, "{\"a\":3}\n");
}

TEST_F(HttpInputSourceTest, RowsThroughTheJsonReader) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "{\"i\":" + std::to_string(i) + "}\n";
  server_.Route("/rows.json.gz", {200, io::GzipCompress(body), "", ""});
  auto source = Source({"/rows.json.gz"});
  auto slices = source->Slices();
  auto stream = source->Open((*slices)[0]);
  ASSERT_TRUE(stream.ok());
  InputFormatSpec format;
  format.type = "json";
  auto reader = NewRowReader(format, {{"i", types::ColumnType::kLong}}, std::move(*stream), (*slices)[0].uri, nullptr);
  ASSERT_TRUE(reader.ok());
  int64_t sum = 0, rows = 0;
  columnar::Frame frame;
  while (true) {
    auto more = (*reader)->Next(300, &frame);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    for (int64_t r = 0; r < frame.num_rows; ++r) sum += frame.column(0).longs[r];
    rows += frame.num_rows;
  }
  EXPECT_EQ(rows, 1000);
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

TEST_F(HttpInputSourceTest, HttpErrorsNameTheUriAndStatus) {
  auto source = Source({"/missing.json"});
  auto slices = source->Slices();
  auto result = OpenAndReadAll(*source, (*slices)[0]);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
  EXPECT_EQ(result.status().message(),
            "HTTP request for [" + server_.Url("/missing.json") + "] failed with status [404]");
}

TEST_F(HttpInputSourceTest, ConnectionRefused) {
  // Find a port with nothing listening: bind, read the port, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x.json";
  auto source = MustParse(R"({"type":"http","uris":[")" + url + R"("]})");
  auto result = OpenAndReadAll(*source, (*source->Slices())[0]);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
  EXPECT_EQ(result.status().message().rfind("HTTP request for [" + url + "] failed: ", 0), 0u);
}

TEST_F(HttpInputSourceTest, FollowsRedirects) {
  server_.Route("/data.json", {200, "moved body", "", ""});
  server_.Route("/old.json", {302, "", "Location: " + server_.Url("/data.json") + "\r\n", ""});
  auto source = Source({"/old.json"});
  auto text = OpenAndReadAll(*source, (*source->Slices())[0]);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "moved body");
}

TEST_F(HttpInputSourceTest, BasicAuthentication) {
  // base64("user:pass") == "dXNlcjpwYXNz"
  server_.Route("/secret.json", {200, "secret", "", "Basic dXNlcjpwYXNz"});

  auto plain = Source({"/secret.json"}, R"(,"httpAuthenticationUsername":"user","httpAuthenticationPassword":"pass")");
  auto text = OpenAndReadAll(*plain, (*plain->Slices())[0]);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "secret");
  EXPECT_EQ(server_.last_authorization(), "Basic dXNlcjpwYXNz");

  auto provider = Source({"/secret.json"}, R"(,"httpAuthenticationUsername":"user",)"
                                           R"("httpAuthenticationPassword":{"type":"default","password":"pass"})");
  EXPECT_TRUE(OpenAndReadAll(*provider, (*provider->Slices())[0]).ok());

  ::setenv("STRATA_INPUT_TEST_PASSWORD", "pass", 1);
  auto env = Source({"/secret.json"}, R"(,"httpAuthenticationUsername":"user",)"
                                      R"("httpAuthenticationPassword":{"type":"environment",)"
                                      R"("variable":"STRATA_INPUT_TEST_PASSWORD"})");
  auto env_text = OpenAndReadAll(*env, (*env->Slices())[0]);
  EXPECT_TRUE(env_text.ok()) << env_text.status().ToString();
  ::unsetenv("STRATA_INPUT_TEST_PASSWORD");

  auto wrong = Source({"/secret.json"}, R"(,"httpAuthenticationUsername":"user","httpAuthenticationPassword":"no")");
  auto denied = OpenAndReadAll(*wrong, (*wrong->Slices())[0]);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().message(),
            "HTTP request for [" + server_.Url("/secret.json") + "] failed with status [401]");
}

TEST_F(HttpInputSourceTest, DestroyingTheStreamEarlyAbortsTheTransfer) {
  server_.Route("/big.json", {200, std::string(48 << 20, 'x'), "", ""});
  server_.Route("/small.json", {200, "small", "", ""});
  auto source = Source({"/big.json", "/small.json"});
  auto slices = source->Slices();
  {
    auto stream = source->Open((*slices)[0]);
    ASSERT_TRUE(stream.ok());
    char buf[1024];
    auto n = (*stream)->Read(buf, sizeof(buf));
    ASSERT_TRUE(n.ok());
    EXPECT_GT(*n, 0u);
    // Let the download fill its bounded buffer before the reader goes away.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_LT((*stream)->bytes_read(), 1u << 20);
  }
  // The server is free again for the next request.
  auto text = OpenAndReadAll(*source, (*slices)[1]);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "small");
}

TEST_F(HttpInputSourceTest, ToJsonMasksPasswords) {
  std::string url = server_.Url("/a.json");
  auto none = Source({"/a.json"});
  EXPECT_EQ(none->ToJson(), R"({"type":"http","uris":[")" + url +
                                R"("],"httpAuthenticationUsername":null,"httpAuthenticationPassword":null})");
  auto plain = Source({"/a.json"}, R"(,"httpAuthenticationUsername":"u","httpAuthenticationPassword":"secret")");
  EXPECT_EQ(plain->ToJson(), R"({"type":"http","uris":[")" + url +
                                 R"("],"httpAuthenticationUsername":"u","httpAuthenticationPassword":{"type":"default"}})");
  auto env = Source({"/a.json"}, R"(,"httpAuthenticationPassword":{"type":"environment","variable":"PW"})");
  EXPECT_EQ(env->ToJson(), R"({"type":"http","uris":[")" + url +
                               R"("],"httpAuthenticationUsername":null,)"
                               R"("httpAuthenticationPassword":{"type":"environment","variable":"PW"}})");
}

TEST(HttpInputSourceParseTest, Errors) {
  EXPECT_EQ(ErrorOf(R"({"type":"http"})"),
            "Invalid value for the field [inputSource]. Reason: [uris] is required for the [http] input source");
  EXPECT_EQ(ErrorOf(R"({"type":"http","uris":[]})"),
            "Invalid value for the field [inputSource]. Reason: [uris] must be a non-empty array of URIs, got []");
  EXPECT_EQ(ErrorOf(R"({"type":"http","uris":["ftp://host/x.json"]})"),
            "Invalid value for the field [inputSource]. Reason: only [http, https] URIs are allowed in [uris], got "
            "[ftp://host/x.json]");
  EXPECT_EQ(ErrorOf(R"({"type":"http","uris":["file:///etc/passwd"]})"),
            "Invalid value for the field [inputSource]. Reason: only [http, https] URIs are allowed in [uris], got "
            "[file:///etc/passwd]");
  EXPECT_EQ(ErrorOf(R"({"type":"http","uris":["http://h/x"],"httpAuthenticationPassword":{"type":"vault"}})"),
            "Invalid value for the field [inputSource]. Reason: unknown password provider type [vault] in "
            "[httpAuthenticationPassword] (supported: default, environment)");
  EXPECT_EQ(ErrorOf(R"({"type":"http","uris":["http://h/x"],"httpAuthenticationPassword":{"type":"environment"}})"),
            "Invalid value for the field [inputSource]. Reason: [httpAuthenticationPassword] of type [environment] "
            "needs a string [variable]");
  EXPECT_TRUE(InputSource::FromJson(R"({"type":"http","uris":["HTTPS://h/x"]})").ok());
}

}  // namespace
}  // namespace strata::input
