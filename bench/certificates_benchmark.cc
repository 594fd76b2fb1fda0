// The cost of describing one certificate, over 500 certificates of the test CA (P-256 keys, SAN
// counts 1..50 drawn with a fixed seed, one in ten with a CRL distribution point): the DER reader
// alone (ReadX509Certificate), and a whole PEM file's parse (ParseCertificateData: PEM decoding,
// the reader, the inventory). Reports certificates/s and bytes/s of DER or PEM. The whole
// `--certs` load (files, walk, threads) is measured with the binary: bench/results/README.md.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"
#include "src/inventory/test_certs.h"
#include "src/inventory/x509_reader.h"

namespace serialmatch::inventory {
namespace {

const std::vector<std::string>& Ders() {
  static const std::vector<std::string>* ders = [] {
    auto* out = new std::vector<std::string>;
    TestCa ca("Bench CA R1");
    std::mt19937 rng(6);
    for (int i = 0; i < 500; ++i) {
      TestCertSpec spec;
      spec.serial_hex = absl::StrCat("0", 100000 + i, "abcdef0123456789");
      const int sans = 1 + static_cast<int>(rng() % 50);
      for (int k = 0; k < sans; ++k)
        spec.names.push_back(absl::StrCat("n", k, ".h", i, ".example.com"));
      if (i % 10 == 0) spec.crl_urls = {"http://crl.bench.example/r1.crl"};
      out->push_back(ca.Issue(spec));
    }
    return out;
  }();
  return *ders;
}

void BM_ReadX509Certificate(benchmark::State& state) {
  const std::vector<std::string>& ders = Ders();
  int64_t bytes = 0;
  std::vector<std::string> undecoded;
  for (auto _ : state) {
    for (const std::string& der : ders) {
      absl::StatusOr<Certificate> cert = ReadX509Certificate(der, &undecoded);
      if (!cert.ok()) state.SkipWithError(std::string(cert.status().message()).c_str());
      benchmark::DoNotOptimize(cert);
      bytes += static_cast<int64_t>(der.size());
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * ders.size()));
}
BENCHMARK(BM_ReadX509Certificate)->Unit(benchmark::kMicrosecond);

void BM_ParsePemFile(benchmark::State& state) {
  std::vector<std::string> pems;
  for (const std::string& der : Ders()) pems.push_back(TestCa::ToPem(der));
  int64_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& pem : pems) {
      CertificateInventory inventory;
      Diagnostics diags;
      if (ParseCertificateData(pem, "bench.pem", &inventory, &diags) != 1) {
        state.SkipWithError("not read");
      }
      benchmark::DoNotOptimize(inventory);
      bytes += static_cast<int64_t>(pem.size());
    }
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pems.size()));
}
BENCHMARK(BM_ParsePemFile)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace serialmatch::inventory
