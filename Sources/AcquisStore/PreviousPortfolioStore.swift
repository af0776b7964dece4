import AcquisCore
import AcquisStorage
import Foundation

/// Portfolios received from previous schools.
struct PreviousPortfolioStore: PreviousPortfolioRepository {
    let db: any SQLConnection

    func add(_ portfolio: PreviousPortfolio, package: [UInt8], importedBy: String) throws -> Int64 {
        try db.value(Int64.self, sql: """
            INSERT INTO previousPortfolio (studentId, schoolName, schoolUAI, verifiedBy, exportedAt, productionTitles, package, importedAt, importedBy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, arguments: [portfolio.studentID, portfolio.schoolName, portfolio.schoolUAI, portfolio.verifiedBy, portfolio.exportedAt,
                             portfolio.productionTitles.joined(separator: "\n"), Data(package), portfolio.importedAt, importedBy])!
    }

    func portfolios(studentID: Int64) throws -> [PreviousPortfolio] {
        try db.rows(sql: """
            SELECT id, studentId, schoolName, schoolUAI, verifiedBy, exportedAt, productionTitles, importedAt
            FROM previousPortfolio WHERE studentId = ? ORDER BY importedAt DESC, id DESC
            """, arguments: [studentID]).map { row in
            let titles: String = row["productionTitles"]
            return PreviousPortfolio(id: row["id"], studentID: row["studentId"], schoolName: row["schoolName"], schoolUAI: row["schoolUAI"],
                                     verifiedBy: row["verifiedBy"], exportedAt: row["exportedAt"],
                                     productionTitles: titles.isEmpty ? [] : titles.components(separatedBy: "\n"), importedAt: row["importedAt"])
        }
    }

    func package(_ id: Int64) throws -> (studentID: Int64, bytes: [UInt8])? {
        try db.row(sql: "SELECT studentId, package FROM previousPortfolio WHERE id = ?", arguments: [id]).map {
            ($0["studentId"], [UInt8]($0["package"] as Data))
        }
    }

    func signers(schoolID: Int64) throws -> [PackageSigner] {
        try db.rows(sql: """
            SELECT id, name, uai, issuerUrl, thumbprint, addedBy, addedAt FROM packageSigner WHERE schoolId = ? ORDER BY name, id
            """, arguments: [schoolID]).map { row in
            PackageSigner(id: row["id"], name: row["name"], uai: row["uai"], issuerURL: row["issuerUrl"], thumbprint: row["thumbprint"],
                          addedBy: row["addedBy"], addedAt: row["addedAt"])
        }
    }

    func trust(_ signer: PackageSigner, schoolID: Int64) throws -> Int64 {
        try db.value(Int64.self, sql: """
            INSERT INTO packageSigner (schoolId, name, uai, issuerUrl, thumbprint, addedBy, addedAt) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, arguments: [schoolID, signer.name, signer.uai, signer.issuerURL, signer.thumbprint, signer.addedBy, signer.addedAt])!
    }

    func withdrawTrust(_ id: Int64, schoolID: Int64) throws -> Bool {
        try db.value(Int64.self, sql: "DELETE FROM packageSigner WHERE id = ? AND schoolId = ? RETURNING id", arguments: [id, schoolID]) != nil
    }
}
