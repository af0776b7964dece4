// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Acquis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "acquis", targets: ["AcquisCLI"]),
        .library(name: "AcquisCore", targets: ["AcquisCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.1.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Self-signed certificate of the SAML service provider's key.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // Used directly by the web app, besides coming with Hummingbird.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The académie's engine: PostgreSQL.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // libxml2 from the system (Debian: libxml2-dev), with a few static inline shims
        // for globals and macros that Swift 6 cannot use directly.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // xmlsec from the system (Debian: libxmlsec1-dev), to check and decrypt SAML messages.
        .systemLibrary(
            name: "CXMLSec",
            pkgConfig: "xmlsec1-openssl",
            providers: [.apt(["libxmlsec1-dev"])]
        ),
        // Sign-in through the ENT (CAS) and EduConnect (SAML 2.0): protocol messages only,
        // no storage and no HTTP; the application core decides who signs in.
        .target(
            name: "AcquisSSO",
            dependencies: [
                "CXMLSec",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The domain: referentials, scales. No database, web or file-format code.
        .target(name: "AcquisCore"),
        // The mastery engine: from dated observations to an explained level. Pure domain code.
        .target(name: "AcquisGrading", dependencies: ["AcquisCore"]),
        // Loaders for referential files (Acquis XML, RNCP export, SACoche) on libxml2.
        .target(
            name: "AcquisXML",
            dependencies: ["AcquisCore", "AcquisBadges", "CLibXML2"],
            resources: [.copy("Schema")]
        ),
        // CSV files of students and evaluations, as spreadsheets write them.
        .target(name: "AcquisCSV", dependencies: ["AcquisCore"]),
        // Badge classes, their rules and awards: pure domain code, no format or signature.
        .target(name: "AcquisBadges", dependencies: ["AcquisCore", "AcquisGrading"]),
        // OpenSSL 3 from the system (Debian: libssl-dev), for RS256 signatures.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Open Badges 2.0 and 3.0: documents, JWS / VC-JWT signatures, baking, verification.
        .target(
            name: "AcquisOpenBadges",
            dependencies: [
                "AcquisCore", "AcquisBadges", "COpenSSL",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // Early warning and need groups: signals, thresholds, group suggestions, outcomes. Pure domain code.
        .target(name: "AcquisVigilance", dependencies: ["AcquisCore", "AcquisGrading"]),
        // What exports print: progress files, class reports, official positions. Pure domain values.
        .target(name: "AcquisReports", dependencies: ["AcquisCore", "AcquisGrading"]),
        // cairo and pango from the system (Debian: libpango1.0-dev, libcairo2-dev), for PDF.
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        // libvips and libmagic from the system (Debian: libvips-dev, libmagic-dev): pictures
        // re-encoded without metadata, and files typed by their content.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        // Non-variadic C entry points into both, which Swift can call.
        .target(name: "CAcquisMedia", dependencies: ["CVips", "CMagic"]),
        // Productions' files: typed by content, pictures re-encoded, thumbnails. A format adapter.
        .target(name: "AcquisMedia", dependencies: ["CAcquisMedia"]),
        // Progress files, class reports and official exports: HTML, PDF, JSON, CSV, LSU XML.
        .target(
            name: "AcquisExport",
            dependencies: [
                "AcquisCore", "AcquisGrading", "AcquisReports", "AcquisCSV", "AcquisOpenBadges", "AcquisVigilance", "CPangoCairo",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Schema")]
        ),
        // What the application keeps and asks for: stored values, typed storage errors, and
        // the repositories and unit of work every engine implements. No engine here.
        .target(
            name: "AcquisStorage",
            dependencies: ["AcquisCore", "AcquisGrading", "AcquisBadges", "AcquisReports", "AcquisVigilance"]
        ),
        // The embedded engine: SQLite through GRDB, implementing AcquisStorage.
        .target(
            name: "AcquisStore",
            dependencies: [
                "AcquisStorage", "AcquisCore", "AcquisGrading", "AcquisBadges", "AcquisReports", "AcquisVigilance",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            resources: [.copy("Resources")]
        ),
        // The académie's engine: PostgreSQL through postgres-nio, running the same store code
        // and the same migrations as SQLite.
        .target(
            name: "AcquisPostgres",
            dependencies: [
                "AcquisStorage", "AcquisStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Opens a database location with its engine: what front ends use instead of naming one.
        .target(name: "AcquisEngines", dependencies: ["AcquisStorage", "AcquisStore", "AcquisPostgres"]),
        // Stored awards as Open Badges: issuing, hosted documents, trust for verification.
        .target(
            name: "AcquisPublishing",
            dependencies: [
                "AcquisCore", "AcquisBadges", "AcquisOpenBadges", "AcquisStorage",
            ]
        ),
        // The application core: one use case per user operation, each owning its transaction,
        // its access check and the mastery ⇒ badge rule. Front ends call it, never the store.
        .target(
            name: "AcquisApp",
            dependencies: [
                "AcquisCore", "AcquisGrading", "AcquisBadges", "AcquisReports", "AcquisVigilance", "AcquisCSV", "AcquisStorage",
                "AcquisOpenBadges", "AcquisPublishing", "AcquisXML", "AcquisSSO", "AcquisMedia",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The web application: pages and JSON API for teachers, students, families, inspectors.
        .target(
            name: "AcquisWeb",
            dependencies: [
                "AcquisCore", "AcquisGrading", "AcquisXML", "AcquisStorage", "AcquisApp", "AcquisBadges", "AcquisOpenBadges",
                "AcquisPublishing", "AcquisReports", "AcquisExport", "AcquisVigilance", "AcquisCSV", "AcquisSSO", "AcquisMedia",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Public")]
        ),
        .executableTarget(
            name: "AcquisCLI",
            dependencies: [
                "AcquisCore", "AcquisGrading", "AcquisXML", "AcquisCSV", "AcquisStorage", "AcquisEngines", "AcquisApp",
                "AcquisBadges", "AcquisOpenBadges", "AcquisReports", "AcquisExport", "AcquisPublishing", "AcquisWeb", "AcquisVigilance", "AcquisSSO",
                "AcquisMedia",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Writes a synthetic RNCP export of a chosen size, for the import benchmark.
        .executableTarget(
            name: "rncp-synth",
            path: "Benchmarks/RNCPSynth"
        ),
        // Times single evaluations recorded in a populated database, for the evaluation benchmark.
        .executableTarget(
            name: "evaluation-bench",
            dependencies: ["AcquisCore", "AcquisStorage", "AcquisEngines", "AcquisApp"],
            path: "Benchmarks/EvaluationBench"
        ),
        // Issues, signs and bakes badges in memory, for the badge benchmark.
        .executableTarget(
            name: "badge-bench",
            dependencies: ["AcquisCore", "AcquisBadges", "AcquisOpenBadges", .product(name: "_CryptoExtras", package: "swift-crypto")],
            path: "Benchmarks/BadgeBench"
        ),
        .target(name: "AcquisTestSupport", dependencies: ["AcquisCore"], path: "Tests/AcquisTestSupport"),
        // A new database of either engine for the store and application tests.
        .target(
            name: "AcquisStorageTestSupport",
            dependencies: [
                "AcquisStorage", "AcquisStore", "AcquisPostgres", "AcquisTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/AcquisStorageTestSupport"
        ),
        // The demo school loaded once by the application core and copied for each test.
        .target(
            name: "AcquisDemoSupport",
            dependencies: ["AcquisApp", "AcquisStorage", "AcquisStore", "AcquisOpenBadges", "AcquisWeb", "AcquisTestSupport"],
            path: "Tests/AcquisDemoSupport"
        ),
        .testTarget(name: "AcquisCoreTests", dependencies: ["AcquisCore"]),
        .testTarget(name: "AcquisMediaTests", dependencies: ["AcquisMedia", "AcquisTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AcquisSSOTests", dependencies: ["AcquisSSO", "AcquisTestSupport"]),
        .testTarget(name: "AcquisBadgesTests", dependencies: ["AcquisBadges", "AcquisCore"]),
        .testTarget(name: "AcquisReportsTests", dependencies: ["AcquisReports", "AcquisGrading", "AcquisCore"]),
        .testTarget(name: "AcquisExportTests", dependencies: ["AcquisExport", "AcquisReports", "AcquisCore"]),
        .testTarget(name: "AcquisAppTests", dependencies: [
            "AcquisApp", "AcquisMedia", "AcquisDemoSupport", "AcquisExport", "AcquisReports", "AcquisStorage", "AcquisStore", "AcquisEngines", "AcquisPostgres", "AcquisStorageTestSupport", "AcquisXML", "AcquisCSV", "AcquisBadges", "AcquisGrading", "AcquisCore",
            "AcquisTestSupport", "AcquisPublishing", "AcquisOpenBadges",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "AcquisPublishingTests", dependencies: [
            "AcquisPublishing", "AcquisApp", "AcquisEngines", "AcquisStorage", "AcquisOpenBadges", "AcquisBadges", "AcquisReports",
            "AcquisCore",
        ]),
        .testTarget(name: "AcquisGradingTests", dependencies: ["AcquisGrading", "AcquisCore"]),
        .testTarget(name: "AcquisVigilanceTests", dependencies: ["AcquisVigilance", "AcquisGrading", "AcquisCore"]),
        .testTarget(name: "AcquisXMLTests", dependencies: ["AcquisXML", "AcquisCore", "AcquisTestSupport"]),
        .testTarget(name: "AcquisCSVTests", dependencies: ["AcquisCSV", "AcquisCore", "AcquisTestSupport"]),
        .testTarget(name: "AcquisStoreTests", dependencies: ["AcquisStorage", "AcquisStore", "AcquisPostgres", "AcquisStorageTestSupport", "AcquisReports", "AcquisXML", "AcquisCSV", "AcquisGrading", "AcquisCore", "AcquisBadges", "AcquisVigilance", "AcquisTestSupport"]),
        .testTarget(name: "AcquisOpenBadgesTests", dependencies: ["AcquisOpenBadges", "AcquisBadges", "AcquisCore", "AcquisTestSupport",
                                                                  .product(name: "JWTKit", package: "jwt-kit")]),
        .testTarget(
            name: "AcquisCLITests",
            dependencies: [
                "AcquisCLI", "AcquisTestSupport", "AcquisDemoSupport", "AcquisXML", "AcquisWeb", "AcquisStorage", "AcquisStore", "AcquisApp",
                "AcquisOpenBadges", "AcquisCore", "AcquisExport", "AcquisVigilance",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The web app in process (HummingbirdTesting), without the command-line binary.
        .testTarget(
            name: "AcquisWebTests",
            dependencies: [
                "AcquisWeb", "AcquisApp", "AcquisStorage", "AcquisStore", "AcquisCore", "AcquisOpenBadges", "AcquisVigilance",
                "AcquisTestSupport", "AcquisDemoSupport", "AcquisSSO", "AcquisExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
