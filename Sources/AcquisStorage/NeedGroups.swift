import AcquisReports
import AcquisVigilance
import AcquisCore
import AcquisGrading
import Foundation

/// One student's place in a set of need groups: the teacher's choice beside the suggestion.
public struct NeedGroupMember: Hashable, Sendable {
    public var student: StoredStudent
    /// The group the teacher kept; nil while the student is to be evaluated first.
    public var group: NeedGroup?
    public var suggested: NeedGroup?
    public var reason: String

    public init(student: StoredStudent, group: NeedGroup?, suggested: NeedGroup?, reason: String) {
        self.student = student
        self.group = group
        self.suggested = suggested
        self.reason = reason
    }
}

/// Need groups of a class on some competencies of a referential, for one period.
public struct NeedGroupSet: Hashable, Sendable {
    public var id: Int64?
    public var division: String
    public var referentialID: Int64
    public var referentialCode: String
    public var competencies: [String]
    public var period: Period
    public var members: [NeedGroupMember]
    public var savedBy: String?

    public func members(of group: NeedGroup?) -> [NeedGroupMember] {
        members.filter { $0.group == group }
    }

    public init(id: Int64? = nil, division: String, referentialID: Int64, referentialCode: String, competencies: [String], period: Period, members: [NeedGroupMember], savedBy: String? = nil) {
        self.id = id
        self.division = division
        self.referentialID = referentialID
        self.referentialCode = referentialCode
        self.competencies = competencies
        self.period = period
        self.members = members
        self.savedBy = savedBy
    }
}

public enum NeedGroupError: Error, Equatable, CustomStringConvertible {
    case noCompetency
    case unknownCompetencies([String], referential: String)
    case unknownSet(Int64)

    public var description: String {
        switch self {
        case .noCompetency: "choisissez au moins une compétence"
        case let .unknownCompetencies(codes, referential):
            "\(codes.joined(separator: ", ")) : pas de compétence évaluable de ce code dans \(referential)"
        case let .unknownSet(id): "aucun ensemble de groupes n° \(id)"
        }
    }
}

extension NeedGroupSet {
    /// The set as exports print it; `titles` gives each competency's title.
    public func sheet(titles: [String: String], status: String) -> NeedGroupSheet {
        let sections = (NeedGroup.allCases.map(Optional.some) + [nil]).map { group in
            NeedGroupSheet.Section(group: group, members: members(of: group).map { member in
                NeedGroupSheet.Member(name: member.student.student.displayName, reason: member.reason,
                                      suggested: member.suggested == member.group ? nil : member.suggested)
            })
        }.filter { $0.group != nil || !$0.members.isEmpty }
        return NeedGroupSheet(division: division, referential: referentialCode,
                              competencies: competencies.map { code in titles[code].map { "\(code) \($0)" } ?? code },
                              period: period.title, sections: sections, status: status)
    }
}
