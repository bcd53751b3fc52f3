// swift-tools-version: 6.1
// Benchmarks for wvconsole, kept out of the main package so `swift test`
// stays fast. Run: `cd Benchmarks && swift package benchmark`, or
// `./ratios.sh` for the figures against jq on the same machine.
import PackageDescription

let package = Package(
    name: "wvconsole-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(name: "wvconsole", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "DecodeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WolkvoxAPI", package: "wvconsole"),
            ],
            path: "Benchmarks/DecodeBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A plain executable for the ratio script: decode one file, print ms and peak RSS.
        .executableTarget(
            name: "DecodeProbe",
            dependencies: [.product(name: "WolkvoxAPI", package: "wvconsole")]
        ),
        // The machine-wide gate: uncontended acquire+release, and finds/s with 1 vs 3 processes on one token.
        .executableTarget(
            name: "GateProbe",
            dependencies: [.product(name: "WolkvoxAPI", package: "wvconsole")]
        ),
        // Team mode on PostgreSQL: gate acquire+release and journal round trip.
        .executableTarget(
            name: "TeamProbe",
            dependencies: [
                .product(name: "TeamStore", package: "wvconsole"),
                .product(name: "WolkvoxAPI", package: "wvconsole"),
            ]
        ),
        // 200 operators on one team gate: peak in flight, slot waits, fairness, a PostgreSQL restart.
        .executableTarget(
            name: "TeamCrowd",
            dependencies: [
                .product(name: "TeamStore", package: "wvconsole"),
                .product(name: "WolkvoxAPI", package: "wvconsole"),
                .product(name: "Simulator", package: "wvconsole"),
                .product(name: "ConsoleConfig", package: "wvconsole"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Keypress → frame, filter per keystroke and RSS at 60,000 rows; demo start → first frame.
        .executableTarget(
            name: "ConsoleProbe",
            dependencies: [
                .product(name: "ConsoleApp", package: "wvconsole"),
                .product(name: "TUIKit", package: "wvconsole"),
                .product(name: "Simulator", package: "wvconsole"),
                .product(name: "WolkvoxAPI", package: "wvconsole"),
            ]
        ),
    ]
)
