// Generated certificates for the micro-benchmarks, and the same certificates written in each dump
// format serialmatch reads, so that every parser is measured on the same records. The shape follows
// scripts/gen_fake_dump.py (36-digit serials starting 03/04, 1-8 names a certificate, some bundles
// of www/mail/... subdomains, one in ten with a wildcard), at a size larger than the caches.
//
//   const bench::Corpus& c = bench::GetCorpus();
//   const std::string& text = c.Text(dump::DumpFormat::kLe2022Csv);
#ifndef SERIALMATCH_BENCH_BENCH_CORPUS_H_
#define SERIALMATCH_BENCH_BENCH_CORPUS_H_

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/dump/parser.h"

namespace serialmatch::bench {

struct Cert {
  std::string serial;  // canonical
  std::vector<std::string> names;
  uint64_t account = 0;
};

// The pattern the regex-format text is written for ("<serial>|<names;...>|<date>").
inline constexpr char kRegexPattern[] =
    R"(^(?:0x)?(?P<serial>[0-9a-f]+)\|(?P<names>[^|]*)\|(?P<not_after>\S+)$)";

inline std::string RandomHex(std::mt19937_64& rng, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back(kHex[rng() % 16]);
  return out;
}

// "03:E2:26:..." — the notation of `openssl x509 -serial` and of browsers.
inline std::string ColonUpper(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    absl::StrAppend(&out, i == 0 ? "" : ":", absl::AsciiStrToUpper(hex.substr(i, 2)));
  }
  return out;
}

class Corpus {
 public:
  static constexpr int kCerts = 60'000;  // ~26 MB of le2020 text

  Corpus() {
    static constexpr const char* kSubs[] = {"www", "mail", "webmail", "api", "shop", "cdn",
                                            "blog", "dev", "autodiscover", "cpanel"};
    static constexpr const char* kTlds[] = {"com", "com", "com", "net", "org", "de", "io", "co.uk"};
    std::mt19937_64 rng(2020);
    certs_.reserve(kCerts);
    for (int i = 0; i < kCerts; ++i) {
      Cert c;
      c.serial = (rng() % 2 ? "03" : "04") + RandomHex(rng, 34);
      c.account = 1 + rng() % 80'000'000;
      const std::string base = absl::StrCat("site-", rng() % 1'000'000, ".", kTlds[rng() % 8]);
      const int n = static_cast<int>(1 + rng() % (rng() % 4 == 0 ? 8 : 3));
      c.names.push_back(base);
      for (int k = 1; k < n; ++k) c.names.push_back(absl::StrCat(kSubs[k - 1], ".", base));
      if (rng() % 10 == 0) c.names.push_back("*." + base);
      certs_.push_back(std::move(c));
    }
    for (size_t f = 0; f < texts_.size(); ++f) texts_[f] = Render(static_cast<dump::DumpFormat>(f));
  }

  const std::vector<Cert>& certs() const { return certs_; }

  // The certificates as a dump in `format`. A crtsh-json text is followed by
  // dump::kDocumentPadding readable bytes (std::string's capacity is reserved for it).
  const std::string& Text(dump::DumpFormat format) const {
    return texts_[static_cast<size_t>(format)];
  }

 private:
  std::string Render(dump::DumpFormat format) const {
    std::string out;
    switch (format) {
      case dump::DumpFormat::kLe2020:
        for (const Cert& c : certs_) {
          absl::StrAppend(&out, "serial ", c.serial, " ", c.account, " ",
                          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                          " names: [", absl::StrJoin(c.names, " "),
                          "] missing CAA checking results for [", c.names[0],
                          "] at 2019-12-03 21:08:34.826011675 +0000 UTC\n");
        }
        break;
      case dump::DumpFormat::kSerials:
        for (size_t i = 0; i < certs_.size(); ++i) {
          // Mostly as CAs write them, some in the notations inventories use.
          const std::string& s = certs_[i].serial;
          absl::StrAppend(&out, i % 8 == 0 ? ColonUpper(s) : i % 8 == 1 ? "0x" + s : s, "\n");
        }
        break;
      case dump::DumpFormat::kLe2022Csv:
        for (const Cert& c : certs_) {
          absl::StrAppend(&out, c.account, ",\"", c.serial, "\",\"2022-02-25T18:25:29Z\"");
          for (const std::string& n : c.names) absl::StrAppend(&out, ",\"", n, "\"");
          out += "\n";
        }
        break;
      case dump::DumpFormat::kCcadbCsv:
        out =
            "Precertificate SHA-256 hash,Certificate SHA-256 hash,Subject,Issuer,Not before,"
            "Not after,Serial #,dNSNames,Is revoked?,Revocation date,Revocation reason\r\n";
        for (const Cert& c : certs_) {
          absl::StrAppend(&out,
                          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,"
                          "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752,CN=",
                          c.names[0], ",\"C=US, O=Let's Encrypt, CN=R3\",2020-01-01T00:00:00Z,",
                          "2020-04-01T00:00:00Z,", ColonUpper(c.serial), ",\"",
                          absl::StrJoin(c.names, ", "), "\",TRUE,2020-03-04,keyCompromise\r\n");
        }
        break;
      case dump::DumpFormat::kCrtshJson:
        out = "[";
        for (size_t i = 0; i < certs_.size(); ++i) {
          const Cert& c = certs_[i];
          absl::StrAppend(&out, i == 0 ? "" : ",",
                          "{\"issuer_ca_id\":16418,\"issuer_name\":\"C=US, O=Let's Encrypt, "
                          "CN=R3\",\"common_name\":\"",
                          c.names[0], "\",\"name_value\":\"", absl::StrJoin(c.names, "\\n"),
                          "\",\"id\":", 2549490984 + i,
                          ",\"entry_timestamp\":\"2020-03-06T23:14:48.1\",\"not_before\":"
                          "\"2020-03-06T22:14:48\",\"not_after\":\"2020-06-04T22:14:48\","
                          "\"serial_number\":\"",
                          c.serial, "\"}");
        }
        out += "]\n";
        out.reserve(out.size() + dump::kDocumentPadding);
        break;
      case dump::DumpFormat::kRegex:
        for (const Cert& c : certs_) {
          absl::StrAppend(&out, "0x", c.serial, "|", absl::StrJoin(c.names, ";"),
                          "|2020-04-01\n");
        }
        break;
      case dump::DumpFormat::kSha256:
        // crt.sh links, as a CCADB fingerprint attachment lists them; the serial stands in for the
        // digest, padded to its 64 hex digits.
        for (const Cert& c : certs_) {
          absl::StrAppend(&out, "https://crt.sh/?sha256=", std::string(64 - c.serial.size(), '0'),
                          c.serial, "\n");
        }
        break;
      case dump::DumpFormat::kCrl:
        // Binary; bench/crl_benchmark.cc generates its own CRLs.
        break;
    }
    return out;
  }

  std::vector<Cert> certs_;
  std::array<std::string, 8> texts_;  // one per dump::DumpFormat
};

// The one corpus, built on first use.
inline const Corpus& GetCorpus() {
  static const Corpus* corpus = new Corpus;
  return *corpus;
}

}  // namespace serialmatch::bench

#endif  // SERIALMATCH_BENCH_BENCH_CORPUS_H_
