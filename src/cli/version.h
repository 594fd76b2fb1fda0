// What `serialmatch --version` prints: the version, the commit the binary was built from, and the
// versions of the libraries whose behaviour decides results (parsing X.509 and CRLs, IDNA names,
// decompression, JSON, patterns, DNS, HTTP), so that two runs that disagree can be told apart.
//
//   serialmatch 0.1.0 (commit 1a2b3c4d5e6f)
//   libraries that decide results (runtime: as the loaded library reports itself;
//   build: the headers or package it was built with, for a library without a version call):
//     OpenSSL    3.0.19                                   runtime
//     ISA-L      2.30.0                                   build
#ifndef SERIALMATCH_SRC_CLI_VERSION_H_
#define SERIALMATCH_SRC_CLI_VERSION_H_

#include <string>
#include <vector>

namespace serialmatch::cli {

struct LibraryVersion {
  std::string name;     // "OpenSSL"
  std::string version;  // "3.0.19"
  // True when `version` is what the library loaded at run time says; false when it is the version
  // of the headers or package the binary was built with (the library has no version call).
  bool runtime = false;
  // For a runtime version: the headers' version when it differs from it (a library upgraded under
  // the binary), else empty.
  std::string built_with;
};

// "0.1.0".
const char* Version();

// The `git describe` of the source tree when the build was configured ("1a2b3c4d5e6f",
// "1a2b3c4d5e6f-dirty"), or "unknown" when it was not a git checkout.
const char* GitCommit();

// OpenSSL, libidn2, ISA-L, zstd, liblzma, libbz2, simdjson, RE2, Abseil, c-ares, yaml-cpp, libcurl.
std::vector<LibraryVersion> LibraryVersions();

// The whole --version text, ending with a newline.
std::string VersionText();

}  // namespace serialmatch::cli

#endif  // SERIALMATCH_SRC_CLI_VERSION_H_
