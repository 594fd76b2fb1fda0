#include "src/net/http_fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/base/diagnostics.h"

#ifndef SERIALMATCH_VERSION
#error "SERIALMATCH_VERSION must be defined by the build"
#endif

namespace serialmatch::net {
namespace {

constexpr char kUserAgent[] = "serialmatch/" SERIALMATCH_VERSION;

// curl_global_init is not thread-safe and must run before any other libcurl call; the process keeps
// libcurl initialised until it exits.
bool InitCurlOnce() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

// Why `url` is not fetched, or "" when it is an http or https URL libcurl can parse.
std::string UrlProblem(const std::string& url) {
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return "malformed URL (it holds a space or a control character)";
    }
  }
  const size_t colon = url.find(':');
  const absl::string_view scheme = absl::string_view(url).substr(0, colon);
  bool scheme_ok = colon != std::string::npos && colon > 0 &&
                   absl::ascii_isalpha(static_cast<unsigned char>(scheme[0]));
  for (const char c : scheme) {
    scheme_ok = scheme_ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '+' ||
                              c == '-' || c == '.');
  }
  if (!scheme_ok) return "malformed URL (no scheme)";
  const std::string lower = absl::AsciiStrToLower(scheme);
  if (lower != "http" && lower != "https") {
    return absl::StrCat("unsupported scheme '", QuoteForMessage(scheme),
                        "' (only http and https are fetched)");
  }
  CURLU* parsed = curl_url();
  if (parsed == nullptr) return "out of memory";
  const CURLUcode rc = curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0);
  curl_url_cleanup(parsed);
  if (rc != CURLUE_OK) return absl::StrCat("malformed URL (", curl_url_strerror(rc), ")");
  return "";
}

bool IsHeaderValue(absl::string_view value) {
  return value.find_first_of("\r\n") == absl::string_view::npos;
}

struct Transfer {
  size_t index = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  bool conditional = false;
  uint64_t max_bytes = 0;
  bool too_large = false;
  std::string body;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  // Only a 200's body is kept: an error page or a redirect's body is not the resource.
  if (status != 200) return n;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // makes libcurl stop the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

// The value of the last response's header `name`; empty when absent.
std::string Header(CURL* easy, const char* name) {
  curl_header* header = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) return "";
  return header->value != nullptr ? header->value : "";
}

// A handle set up for `request`, or nullptr (with `*error`) when libcurl refuses an option.
std::unique_ptr<Transfer> NewTransfer(size_t index, const HttpRequest& request,
                                      const HttpFetchOptions& options, std::string* error) {
  auto t = std::make_unique<Transfer>();
  t->index = index;
  t->max_bytes = options.max_bytes;
  t->easy = curl_easy_init();
  if (t->easy == nullptr) {
    *error = "cannot create a libcurl handle";
    return nullptr;
  }
  if (!request.etag.empty() && IsHeaderValue(request.etag)) {
    t->headers =
        curl_slist_append(t->headers, absl::StrCat("If-None-Match: ", request.etag).c_str());
    t->conditional = true;
  }
  if (!request.last_modified.empty() && IsHeaderValue(request.last_modified)) {
    t->headers = curl_slist_append(
        t->headers, absl::StrCat("If-Modified-Since: ", request.last_modified).c_str());
    t->conditional = true;
  }
  const long timeout_ms =
      static_cast<long>(std::max<int64_t>(1, absl::ToInt64Milliseconds(options.timeout)));
  CURL* e = t->easy;
  const CURLcode rc[] = {
      curl_easy_setopt(e, CURLOPT_URL, request.url.c_str()),
      curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"),
      curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L),
      curl_easy_setopt(e, CURLOPT_MAXREDIRS, static_cast<long>(std::max(0, options.max_redirects))),
      curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms),
      curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms),
      curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L),  // threads: no SIGALRM for DNS timeouts
      curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate"),
      curl_easy_setopt(e, CURLOPT_USERAGENT, kUserAgent),
      curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes)),
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, WriteBody),
      curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get()),
      curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error),
      curl_easy_setopt(e, CURLOPT_PRIVATE, t.get()),
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers),
  };
  for (const CURLcode c : rc) {
    if (c != CURLE_OK) {
      *error = absl::StrCat("cannot set up the transfer: ", curl_easy_strerror(c));
      return nullptr;
    }
  }
  return t;
}

// The short reason for a transfer that ended with `code`.
std::string TransferError(const Transfer& t, CURLcode code, const HttpFetchOptions& options) {
  const std::string detail = t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::StrCat("timed out after ", FormatSeconds(options.timeout));
    case CURLE_COULDNT_RESOLVE_HOST:
      return "could not resolve host";
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "could not resolve proxy";
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(t.easy, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno == ECONNREFUSED) return "connection refused";
      if (os_errno != 0) {
        return absl::StrCat("cannot connect: ", std::strerror(static_cast<int>(os_errno)));
      }
      return absl::StrCat("cannot connect: ", detail);
    }
    case CURLE_FILESIZE_EXCEEDED:
      return absl::StrCat("body larger than ", options.max_bytes, " bytes");
    case CURLE_WRITE_ERROR:
      if (t.too_large) return absl::StrCat("body larger than ", options.max_bytes, " bytes");
      return absl::StrCat("cannot store the body: ", detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::StrCat("more than ", options.max_redirects, " redirects");
    case CURLE_UNSUPPORTED_PROTOCOL:
      // The URL itself was checked: only a redirect leads to another scheme.
      return absl::StrCat("redirected to an unsupported scheme (only http and https are fetched): ",
                          detail);
    case CURLE_GOT_NOTHING:
      return "the server closed the connection without answering";
    case CURLE_PEER_FAILED_VERIFICATION:
      return absl::StrCat("TLS certificate not trusted: ", detail);
    case CURLE_BAD_CONTENT_ENCODING:
      return absl::StrCat("cannot decode the body: ", detail);
    default:
      return detail;
  }
}

void Finish(Transfer& t, CURLcode code, const HttpFetchOptions& options, FetchResult* result) {
  long status = 0;
  curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
  result->http_status = static_cast<int>(status);
  const char* effective = nullptr;
  if (curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK &&
      effective != nullptr) {
    result->effective_url = effective;
  }
  if (code != CURLE_OK) {
    result->error = TransferError(t, code, options);
    return;
  }
  if (status == 200 || (status == 304 && t.conditional)) {
    result->not_modified = status == 304;
    result->etag = Header(t.easy, "ETag");
    result->last_modified = Header(t.easy, "Last-Modified");
    if (status == 200) result->body = std::move(t.body);
    return;
  }
  result->error = status == 304 ? "HTTP 304 to a request that was not conditional"
                                : absl::StrCat("HTTP ", status);
}

}  // namespace

absl::string_view UserAgent() { return kUserAgent; }

std::string FormatSeconds(absl::Duration d) {
  if (d < absl::Seconds(1)) return absl::StrFormat("%g ms", absl::ToDoubleMilliseconds(d));
  return absl::StrFormat("%g s", absl::ToDoubleSeconds(d));
}

std::vector<FetchResult> FetchAll(absl::Span<const HttpRequest> requests,
                                  const HttpFetchOptions& options) {
  std::vector<FetchResult> results(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) results[i].url = requests[i].url;
  if (requests.empty()) return results;
  // A server closing the connection while a request is written must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  CURLM* multi = InitCurlOnce() ? curl_multi_init() : nullptr;
  if (multi == nullptr) {
    for (FetchResult& r : results) r.error = "cannot initialise libcurl";
    return results;
  }

  std::vector<std::unique_ptr<Transfer>> active(requests.size());
  size_t in_flight = 0;
  size_t next = 0;
  size_t done = 0;
  const size_t concurrency = static_cast<size_t>(std::max(1, options.concurrency));
  auto complete = [&] {
    ++done;
    if (options.progress) options.progress(done);
  };
  // Starts transfers until `concurrency` are in flight; URLs that are not fetched complete at once.
  auto start_more = [&] {
    while (in_flight < concurrency && next < requests.size()) {
      const size_t i = next++;
      std::string error = UrlProblem(requests[i].url);
      std::unique_ptr<Transfer> t;
      if (error.empty()) t = NewTransfer(i, requests[i], options, &error);
      if (t != nullptr) {
        if (const CURLMcode mc = curl_multi_add_handle(multi, t->easy); mc != CURLM_OK) {
          error = absl::StrCat("cannot start the transfer: ", curl_multi_strerror(mc));
          t.reset();
        }
      }
      if (t == nullptr) {
        results[i].error = error;
        complete();
        continue;
      }
      active[i] = std::move(t);
      ++in_flight;
    }
  };

  start_more();
  while (in_flight > 0) {
    int running = 0;
    if (const CURLMcode mc = curl_multi_perform(multi, &running); mc != CURLM_OK) {
      // Not expected short of memory exhaustion; every transfer not finished fails with it.
      const std::string error = absl::StrCat("libcurl: ", curl_multi_strerror(mc));
      for (size_t i = 0; i < requests.size(); ++i) {
        if (active[i] != nullptr || i >= next) {
          if (active[i] != nullptr) curl_multi_remove_handle(multi, active[i]->easy);
          active[i].reset();
          results[i].error = error;
          complete();
        }
      }
      in_flight = 0;
      break;
    }
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;  // libcurl defines no other message
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      const CURLcode code = msg->data.result;  // msg is invalid once the handle is removed
      curl_multi_remove_handle(multi, t->easy);
      Finish(*t, code, options, &results[t->index]);
      active[t->index].reset();
      --in_flight;
      complete();
    }
    start_more();
    if (in_flight > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  curl_multi_cleanup(multi);
  return results;
}

}  // namespace serialmatch::net
