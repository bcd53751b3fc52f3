// swift-tools-version: 6.1
// libFuzzer targets for every decoder of untrusted input, kept out of the
// main package (they build with -sanitize=fuzzer,address). Run them with
// `scripts/fuzz.sh [SECONDS]` from the repository's root.
import PackageDescription

let package = Package(
    name: "wvconsole-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "wvconsole", path: "..")],
    targets: [
        // One binary, one target per run (WVFUZZ_TARGET): libFuzzer supplies main.
        .executableTarget(
            name: "wvfuzz",
            dependencies: [
                .product(name: "WolkvoxAPI", package: "wvconsole"),
                .product(name: "CSVImport", package: "wvconsole"),
                .product(name: "ConsoleConfig", package: "wvconsole"),
                .product(name: "TUIKit", package: "wvconsole"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
