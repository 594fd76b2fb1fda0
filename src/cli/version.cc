#include "src/cli/version.h"

#include <ares.h>
#include <bzlib.h>
#include <curl/curl.h>
#include <idn2.h>
#include <isa-l.h>
#include <lzma.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <simdjson.h>
#include <zstd.h>

#include "absl/base/config.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/build_info.h"

namespace serialmatch::cli {
namespace {

#define SM_STRINGIFY_(x) #x
#define SM_STRINGIFY(x) SM_STRINGIFY_(x)

LibraryVersion Runtime(std::string name, const char* runtime, const char* built) {
  LibraryVersion v{std::move(name), runtime != nullptr ? runtime : "unknown", true, ""};
  if (built != nullptr && v.version != built) v.built_with = built;
  return v;
}

LibraryVersion Build(std::string name, std::string version) {
  return LibraryVersion{std::move(name), version.empty() ? "unknown" : std::move(version), false,
                        ""};
}

}  // namespace

const char* Version() { return SERIALMATCH_VERSION; }

const char* GitCommit() { return SERIALMATCH_GIT_COMMIT; }

std::vector<LibraryVersion> LibraryVersions() {
  std::vector<LibraryVersion> out;
  out.push_back(Runtime("OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING), OPENSSL_VERSION_STR));
  out.push_back(Runtime("libidn2", idn2_check_version(nullptr), IDN2_VERSION));
  out.push_back(Build(
      "ISA-L", absl::StrCat(ISAL_MAJOR_VERSION, ".", ISAL_MINOR_VERSION, ".", ISAL_PATCH_VERSION)));
  out.push_back(Runtime("zstd", ZSTD_versionString(), ZSTD_VERSION_STRING));
  out.push_back(Runtime("liblzma", lzma_version_string(), LZMA_VERSION_STRING));
  // bzlib.h has no version macro: the runtime version alone.
  out.push_back(Runtime("libbz2", BZ2_bzlibVersion(), nullptr));
  // The version is the headers' (simdjson has no version call); the kernel is chosen at run time
  // for this CPU.
  LibraryVersion simdjson = Build("simdjson", SM_STRINGIFY(SIMDJSON_VERSION));
  absl::StrAppend(&simdjson.version, " (", simdjson::get_active_implementation()->name(),
                  " kernel)");
  out.push_back(std::move(simdjson));
  out.push_back(Build("RE2", SERIALMATCH_RE2_VERSION));
  out.push_back(
      Build("Abseil", absl::StrCat(ABSL_LTS_RELEASE_VERSION, ".", ABSL_LTS_RELEASE_PATCH_LEVEL)));
  out.push_back(Runtime("c-ares", ares_version(nullptr), ARES_VERSION_STR));
  out.push_back(Build("yaml-cpp", SERIALMATCH_YAML_CPP_VERSION));
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  LibraryVersion libcurl = Runtime("libcurl", curl->version, LIBCURL_VERSION);
  if (curl->ssl_version != nullptr) absl::StrAppend(&libcurl.version, " (", curl->ssl_version, ")");
  out.push_back(std::move(libcurl));
  return out;
}

std::string VersionText() {
  std::string out = absl::StrCat("serialmatch ", Version(), " (commit ", GitCommit(), ")\n",
                                 "libraries that decide results (runtime: as the loaded library "
                                 "reports itself;\nbuild: the headers or package it was built "
                                 "with, for a library without a version call):\n");
  for (const LibraryVersion& library : LibraryVersions()) {
    std::string source = library.runtime ? "runtime" : "build";
    if (!library.built_with.empty())
      absl::StrAppend(&source, " (built with ", library.built_with, ")");
    absl::StrAppend(&out,
                    absl::StrFormat("  %-10s %-40s %s\n", library.name, library.version, source));
  }
  return out;
}

}  // namespace serialmatch::cli
