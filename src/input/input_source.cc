#include "input/input_source.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

#include <nlohmann/json.hpp>

#include "input/internal/http_input_stream.h"
#include "io/compression.h"
#include "io/file_system.h"

namespace strata::input {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

Status SourceError(const std::string& reason) {
  return Status::InvalidInput("Invalid value for the field [inputSource]. Reason: " + reason);
}

// Reads an optional string field; absent and null give nullopt.
Status ReadOptionalString(const json& object, const char* field, std::optional<std::string>* out) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) return SourceError(std::string("[") + field + "] must be a string, got " + it->dump());
  *out = it->get<std::string>();
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------
// local

class LocalInputSource final : public InputSource {
 public:
  LocalInputSource(std::optional<std::string> base_dir, std::optional<std::string> filter,
                   std::optional<std::vector<std::string>> files)
      : base_dir_(std::move(base_dir)), filter_(std::move(filter)), files_(std::move(files)) {}

  std::string type() const override { return "local"; }

  Result<std::vector<InputSlice>> Slices() const override {
    std::vector<InputSlice> slices;
    std::set<std::string> seen;
    if (base_dir_) {
      std::error_code ec;
      fs::path dir(*base_dir_);
      if (!fs::exists(dir, ec)) return SourceError("baseDir [" + *base_dir_ + "] does not exist");
      if (!fs::is_directory(dir, ec)) return SourceError("baseDir [" + *base_dir_ + "] is not a directory");
      fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code type_ec;
        if (!it->is_regular_file(type_ec)) continue;
        std::string name = it->path().filename().string();
        if (::fnmatch(filter_->c_str(), name.c_str(), 0) != 0) continue;
        RETURN_IF_ERROR(AddFile(it->path(), &slices, &seen));
      }
      if (ec) return Status::IoError("cannot list baseDir [" + *base_dir_ + "]: " + ec.message());
    }
    if (files_) {
      for (const std::string& file : *files_) {
        std::error_code ec;
        fs::path path(file);
        if (!fs::exists(path, ec)) return SourceError("file [" + file + "] in [files] does not exist");
        if (!fs::is_regular_file(path, ec)) return SourceError("file [" + file + "] in [files] is not a regular file");
        RETURN_IF_ERROR(AddFile(path, &slices, &seen));
      }
    }
    std::sort(slices.begin(), slices.end(),
              [](const InputSlice& a, const InputSlice& b) { return a.location < b.location; });
    return slices;
  }

  Result<std::unique_ptr<io::InputStream>> Open(const InputSlice& slice) const override {
    if (slice.length >= 0) return io::OpenFileLineRange(io::FileSystem::Local(), slice.location, slice.offset, slice.length);
    return io::OpenFileMaybeCompressed(io::FileSystem::Local(), slice.location);
  }

  std::vector<InputSlice> Split(const InputSlice& slice, int64_t target_bytes) const override {
    bool compressed = slice.location.size() > 3 && slice.location.compare(slice.location.size() - 3, 3, ".gz") == 0;
    if (compressed || slice.length >= 0 || target_bytes <= 0 || slice.size_bytes <= target_bytes) return {slice};
    std::vector<InputSlice> out;
    int64_t pieces = (slice.size_bytes + target_bytes - 1) / target_bytes;
    int64_t piece = (slice.size_bytes + pieces - 1) / pieces;
    for (int64_t start = 0; start < slice.size_bytes; start += piece) {
      InputSlice s = slice;
      s.offset = start;
      s.length = std::min(piece, slice.size_bytes - start);
      out.push_back(std::move(s));
    }
    return out;
  }

  std::string ToJson() const override {
    ordered_json out;
    out["type"] = "local";
    out["baseDir"] = base_dir_ ? ordered_json(*base_dir_) : ordered_json(nullptr);
    out["filter"] = filter_ ? ordered_json(*filter_) : ordered_json(nullptr);
    out["files"] = files_ ? ordered_json(*files_) : ordered_json(nullptr);
    return out.dump();
  }

 private:
  // Adds a non-empty file once, named by its absolute path.
  static Status AddFile(const fs::path& path, std::vector<InputSlice>* slices, std::set<std::string>* seen) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec).lexically_normal();
    if (ec) return Status::IoError("cannot resolve the path of [" + path.string() + "]: " + ec.message());
    uintmax_t size = fs::file_size(absolute, ec);
    if (ec) return Status::IoError("cannot read the size of [" + absolute.string() + "]: " + ec.message());
    if (size == 0) return Status::OK();
    std::string location = absolute.string();
    if (!seen->insert(location).second) return Status::OK();
    slices->push_back(InputSlice{"file:" + location, location, static_cast<int64_t>(size)});
    return Status::OK();
  }

  std::optional<std::string> base_dir_;
  std::optional<std::string> filter_;
  std::optional<std::vector<std::string>> files_;
};

Result<std::unique_ptr<InputSource>> ParseLocal(const json& object) {
  std::optional<std::string> base_dir, filter;
  std::optional<std::vector<std::string>> files;
  RETURN_IF_ERROR(ReadOptionalString(object, "baseDir", &base_dir));
  RETURN_IF_ERROR(ReadOptionalString(object, "filter", &filter));
  auto files_it = object.find("files");
  if (files_it != object.end() && !files_it->is_null()) {
    if (!files_it->is_array()) return SourceError("[files] must be an array of paths, got " + files_it->dump());
    files.emplace();
    for (const json& file : *files_it) {
      if (!file.is_string()) return SourceError("[files] must be an array of paths, got " + file.dump());
      files->push_back(file.get<std::string>());
    }
  }
  if (!base_dir && (!files || files->empty())) {
    return SourceError("at least one of [baseDir] and [files] must be given for the [local] input source");
  }
  if (base_dir && !filter) {
    return SourceError("[filter] is required with [baseDir] [" + *base_dir + "] (use \"*\" to read every file)");
  }
  return std::unique_ptr<InputSource>(new LocalInputSource(std::move(base_dir), std::move(filter), std::move(files)));
}

// ---------------------------------------------------------------------------------------------
// http

// Where the password comes from: given inline ("default") or read from an environment variable
// when a slice is opened ("environment").
struct PasswordProvider {
  enum class Kind { kDefault, kEnvironment } kind = Kind::kDefault;
  std::string password;  // kDefault
  std::string variable;  // kEnvironment
};

bool HasHttpScheme(std::string_view uri) {
  auto starts_with_nocase = [&](std::string_view prefix) {
    if (uri.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(uri[i])) != prefix[i]) return false;
    }
    return true;
  };
  return starts_with_nocase("http://") || starts_with_nocase("https://");
}

// True when the path of `uri` (without query and fragment) ends in ".gz".
bool UriNamesGzip(std::string_view uri) {
  size_t end = uri.find_first_of("?#");
  std::string_view path = uri.substr(0, end);
  return path.size() > 3 && path.substr(path.size() - 3) == ".gz";
}

class HttpInputSource final : public InputSource {
 public:
  HttpInputSource(std::vector<std::string> uris, std::optional<std::string> username,
                  std::optional<PasswordProvider> password)
      : uris_(std::move(uris)), username_(std::move(username)), password_(std::move(password)) {}

  std::string type() const override { return "http"; }

  Result<std::vector<InputSlice>> Slices() const override {
    std::vector<InputSlice> slices;
    for (const std::string& uri : uris_) slices.push_back(InputSlice{uri, uri, -1});
    return slices;
  }

  Result<std::unique_ptr<io::InputStream>> Open(const InputSlice& slice) const override {
    if (!HasHttpScheme(slice.location)) {
      return SourceError("only [http, https] URIs can be read, got [" + slice.location + "]");
    }
    internal::HttpCredentials credentials;
    credentials.username = username_;
    if (password_) {
      if (password_->kind == PasswordProvider::Kind::kDefault) {
        credentials.password = password_->password;
      } else if (const char* value = std::getenv(password_->variable.c_str())) {
        credentials.password = std::string(value);
      }
    }
    std::unique_ptr<io::InputStream> stream = internal::OpenHttpStream(slice.location, credentials);
    if (UriNamesGzip(slice.location)) return io::NewGzipInputStream(std::move(stream));
    return stream;
  }

  std::string ToJson() const override {
    ordered_json out;
    out["type"] = "http";
    out["uris"] = uris_;
    out["httpAuthenticationUsername"] = username_ ? ordered_json(*username_) : ordered_json(nullptr);
    if (!password_) {
      out["httpAuthenticationPassword"] = nullptr;
    } else if (password_->kind == PasswordProvider::Kind::kDefault) {
      out["httpAuthenticationPassword"] = ordered_json{{"type", "default"}};
    } else {
      out["httpAuthenticationPassword"] = ordered_json{{"type", "environment"}, {"variable", password_->variable}};
    }
    return out.dump();
  }

 private:
  std::vector<std::string> uris_;
  std::optional<std::string> username_;
  std::optional<PasswordProvider> password_;
};

Result<std::optional<PasswordProvider>> ParsePassword(const json& object) {
  auto it = object.find("httpAuthenticationPassword");
  if (it == object.end() || it->is_null()) return std::optional<PasswordProvider>();
  PasswordProvider provider;
  if (it->is_string()) {
    provider.password = it->get<std::string>();
    return std::optional<PasswordProvider>(std::move(provider));
  }
  if (!it->is_object()) {
    return SourceError("[httpAuthenticationPassword] must be a string or a password provider object");
  }
  auto type_it = it->find("type");
  std::string type = type_it != it->end() && type_it->is_string() ? type_it->get<std::string>() : "";
  if (type == "default") {
    auto password_it = it->find("password");
    if (password_it == it->end() || !password_it->is_string()) {
      return SourceError("[httpAuthenticationPassword] of type [default] needs a string [password]");
    }
    provider.password = password_it->get<std::string>();
  } else if (type == "environment") {
    auto variable_it = it->find("variable");
    if (variable_it == it->end() || !variable_it->is_string() || variable_it->get<std::string>().empty()) {
      return SourceError("[httpAuthenticationPassword] of type [environment] needs a string [variable]");
    }
    provider.kind = PasswordProvider::Kind::kEnvironment;
    provider.variable = variable_it->get<std::string>();
  } else {
    return SourceError("unknown password provider type [" + type +
                       "] in [httpAuthenticationPassword] (supported: default, environment)");
  }
  return std::optional<PasswordProvider>(std::move(provider));
}

Result<std::unique_ptr<InputSource>> ParseHttp(const json& object) {
  auto uris_it = object.find("uris");
  if (uris_it == object.end() || uris_it->is_null()) {
    return SourceError("[uris] is required for the [http] input source");
  }
  if (!uris_it->is_array() || uris_it->empty()) {
    return SourceError("[uris] must be a non-empty array of URIs, got " + uris_it->dump());
  }
  std::vector<std::string> uris;
  for (const json& uri : *uris_it) {
    if (!uri.is_string()) return SourceError("[uris] must be a non-empty array of URIs, got " + uri.dump());
    std::string text = uri.get<std::string>();
    if (!HasHttpScheme(text)) {
      return SourceError("only [http, https] URIs are allowed in [uris], got [" + text + "]");
    }
    uris.push_back(std::move(text));
  }
  std::optional<std::string> username;
  RETURN_IF_ERROR(ReadOptionalString(object, "httpAuthenticationUsername", &username));
  ASSIGN_OR_RETURN(std::optional<PasswordProvider> password, ParsePassword(object));
  return std::unique_ptr<InputSource>(new HttpInputSource(std::move(uris), std::move(username), std::move(password)));
}

// ---------------------------------------------------------------------------------------------
// inline

class InlineInputSource final : public InputSource {
 public:
  explicit InlineInputSource(std::string data) : data_(std::move(data)) {}

  std::string type() const override { return "inline"; }

  Result<std::vector<InputSlice>> Slices() const override {
    return std::vector<InputSlice>{InputSlice{"inline", "", static_cast<int64_t>(data_.size())}};
  }

  Result<std::unique_ptr<io::InputStream>> Open(const InputSlice&) const override {
    return io::NewMemoryInputStream(data_);
  }

  std::string ToJson() const override {
    ordered_json out;
    out["type"] = "inline";
    out["data"] = data_;
    return out.dump();
  }

 private:
  std::string data_;
};

Result<std::unique_ptr<InputSource>> ParseInline(const json& object) {
  auto it = object.find("data");
  if (it == object.end() || !it->is_string()) {
    return SourceError("[data] must be a string for the [inline] input source");
  }
  return std::unique_ptr<InputSource>(new InlineInputSource(it->get<std::string>()));
}

}  // namespace

Result<std::unique_ptr<InputSource>> InputSource::FromJson(std::string_view json_text) {
  json object;
  try {
    object = json::parse(json_text);
  } catch (const json::exception& e) {
    return SourceError(e.what());
  }
  if (!object.is_object()) return SourceError("expected a JSON object, got " + object.dump());
  auto type_it = object.find("type");
  if (type_it == object.end() || !type_it->is_string()) {
    return SourceError("missing the input source [type] (one of local, http, inline)");
  }
  std::string type = type_it->get<std::string>();
  if (type == "local") return ParseLocal(object);
  if (type == "http") return ParseHttp(object);
  if (type == "inline") return ParseInline(object);
  return SourceError("unknown input source type [" + type + "]");
}

}  // namespace strata::input
