// swift-tools-version: 6.1
// wvconsole — a terminal console for Wolkvox dialing campaigns.
// Module map: see docs/ARCHITECTURE.md. Only NCursesBackend imports CNcursesw.
import PackageDescription

/// The package products targets depend on, named once (grouped by package).
func product(_ name: String, _ package: String) -> Target.Dependency { .product(name: name, package: package) }
let nioCore = product("NIOCore", "swift-nio"), nioPosix = product("NIOPosix", "swift-nio"), nioHTTP1 = product("NIOHTTP1", "swift-nio")
let logging = product("Logging", "swift-log"), argumentParser = product("ArgumentParser", "swift-argument-parser")
let asyncHTTPClient = product("AsyncHTTPClient", "async-http-client"), nioHTTPCompression = product("NIOHTTPCompression", "swift-nio-extras")
let hummingbird = product("Hummingbird", "hummingbird"), grdb = product("GRDB", "GRDB.swift"), tomlKit = product("TOMLKit", "TOMLKit")
let postgresNIO = product("PostgresNIO", "postgres-nio"), nioSSL = product("NIOSSL", "swift-nio-ssl"), csv = product("CSV", "CSV.swift")

let package = Package(
    name: "wvconsole",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wvconsole", targets: ["wvconsole"]),
        .executable(name: "wvsim", targets: ["wvsim"]),
        // Libraries for the separate Benchmarks/ package (kept out of `swift test`).
        .library(name: "WolkvoxAPI", targets: ["WolkvoxAPI"]),
        .library(name: "TUIKit", targets: ["TUIKit"]),
        .library(name: "ConsoleApp", targets: ["ConsoleApp"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "TeamStore", targets: ["TeamStore"]),
        .library(name: "ConsoleConfig", targets: ["ConsoleConfig"]),
        .library(name: "CSVImport", targets: ["CSVImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "WolkvoxAPI",
            dependencies: ["CSupport", logging, asyncHTTPClient, nioCore, nioHTTP1, nioHTTPCompression]),
        // The libc calls Swift's Glibc module does not expose (memmem, wcwidth, malloc tuning).
        .target(name: "CSupport"),
        // Every TOML text read (config, themes) passes a check first: the parser asserts on some bad headers.
        .target(name: "SafeTOML", dependencies: [tomlKit]),
        // Reading the operator's CSV files (import, dnc import, delete --file): untrusted input, fuzzed on its own (Fuzz/).
        .target(name: "CSVImport", dependencies: ["WolkvoxAPI", csv]),
        // The version and the git commit of the build, for --version.
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        .target(
            name: "Simulator",
            dependencies: ["WolkvoxAPI", hummingbird, logging, nioCore, nioPosix]
        ),
        .target(
            name: "LocalStore",
            dependencies: ["WolkvoxAPI", grdb, logging]
        ),
        // Team mode: the same journal, audit, meter and gate on PostgreSQL.
        .target(
            name: "TeamStore",
            dependencies: ["WolkvoxAPI", "LocalStore", "ConsoleConfig", postgresNIO, nioSSL, nioCore, nioPosix, logging]
        ),
        .target(
            name: "TUIKit",
            dependencies: ["CSupport", "SafeTOML"]
        ),
        .target(name: "NCursesBackend", dependencies: ["CNcursesw", "CSupport", "TUIKit"]),
        // The message catalogue (en/es/pt), compiled into the binary so an
        // installed wvconsole needs no resource folder beside it.
        .target(
            name: "Messages", dependencies: ["WolkvoxAPI"],
            resources: [.embedInCode("Catalog/en.json"), .embedInCode("Catalog/es.json"), .embedInCode("Catalog/pt.json")]),
        // config.toml + environment + token file, shared by console and CLI.
        .target(
            name: "ConsoleConfig",
            dependencies: ["WolkvoxAPI", "SafeTOML", tomlKit, logging]
        ),
        .target(
            name: "ConsoleApp",
            dependencies: ["CSupport", "TUIKit", "WolkvoxAPI", "LocalStore", "Messages"]
        ),
        .target(
            name: "ConsoleCLI",
            dependencies: [
                "WolkvoxAPI", "LocalStore", "TeamStore", "Messages", "ConsoleConfig", "TUIKit", "CSVImport", argumentParser, logging,
            ]
        ),
        .executableTarget(
            name: "wvconsole",
            dependencies: [
                "WolkvoxAPI", "LocalStore", "TeamStore", "Simulator", "TUIKit", "NCursesBackend", "ConsoleApp", "ConsoleCLI",
                "ConsoleConfig", "Messages", "BuildInfo", argumentParser, logging,
            ]
        ),
        .executableTarget(
            name: "wvsim",
            dependencies: ["Simulator", "BuildInfo", argumentParser]
        ),
        .testTarget(
            name: "WolkvoxAPITests",
            dependencies: ["WolkvoxAPI", "Simulator", nioCore, nioPosix], resources: [.copy("Fixtures")]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "WolkvoxAPI", nioPosix]),
        .testTarget(name: "LocalStoreTests", dependencies: ["LocalStore", "WolkvoxAPI"]),
        // The store contract on SQLite and on PostgreSQL (WVCONSOLE_TEST_PG), and the team gate.
        .testTarget(name: "TeamStoreTests", dependencies: ["TeamStore", "LocalStore", "ConsoleConfig", "WolkvoxAPI"]),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit", "SafeTOML"]),
        // Includes ConsoleLoop driven in-process: TestBackend, EffectRunner, the simulator on loopback.
        .testTarget(name: "ConsoleAppTests", dependencies: ["ConsoleApp", "TUIKit", "WolkvoxAPI", "LocalStore", "Messages", "Simulator"]),
        .testTarget(name: "ConsoleConfigTests", dependencies: ["ConsoleConfig", "WolkvoxAPI", "SafeTOML"]),
        .testTarget(name: "MessagesTests", dependencies: ["Messages", "WolkvoxAPI"]),
        .testTarget(name: "ConsoleCLITests", dependencies: ["ConsoleCLI", "CSVImport", "Simulator", "WolkvoxAPI", "LocalStore", "TUIKit"]),
        // The real binaries in tmux against wvsim; needs `swift build` products.
        .testTarget(name: "EndToEndTests", dependencies: ["Simulator", "WolkvoxAPI", "CSupport"]),
    ]
)
