import AcquisStorage
import AcquisBadges
import AcquisCore
import AcquisGrading
import AcquisReports
import Foundation
import GRDB

/// The SQLite side of ``ReportContext``: what exports print, from the evaluations as they
/// stand (corrections included, withdrawals left out).
public typealias ExportBuilder = ReportContext

extension ReportContext {
    // MARK: - Progress file

    /// - Parameters:
    ///   - including: referentials to show even without evidence yet.
    ///   - versions: the version to read a referential in, by code, instead of the version the
    ///     student's evidence is read in.
    public mutating func progressFile(studentID: Int64, period: Period, including: [String] = [],
                                      versions: [String: String] = [:], in db: any SQLConnection) throws -> ProgressFile {
        let asOf = asOf(period)
        let stored = try SchoolStore().student(studentID: studentID, year: period.schoolYear, in: db)
        let schoolID = try db.value(Int64.self, sql: "SELECT schoolId FROM student WHERE id = ?", arguments: [studentID])!
        // One section per referential, in the version the student's evidence is read in: what
        // was observed under earlier versions counts there.
        let evidenced = try db.values(String.self, sql: """
            SELECT r.code FROM evaluation e JOIN referentialNode n ON n.id = e.nodeId
            JOIN referential r ON r.id = n.referentialId
            WHERE e.studentId = ? AND e.withdrawnAt IS NULL AND e.observedOn <= ? GROUP BY r.code ORDER BY MIN(r.id)
            """, arguments: [studentID, asOf.iso])
        let codes = evidenced + including.filter { !evidenced.contains($0) }
        let referentialIDs = try codes.map { code in
            try versions[code].map { try ReferentialStore().target(code: code, version: $0, in: db).id }
                ?? ReferentialStore().versionID(code: code, studentID: studentID, in: db)
        }
        var sections: [ProgressFile.Section] = []
        if names == nil { names = try AccountStore().peopleNames(in: db) }
        for id in referentialIDs {
            let target = try target(id: id, in: db)
            let evidence = try ProgressStore().evidenceByCompetency(studentID: studentID, target: target, asOf: asOf, db)
            sections.append(section(target, evidence: evidence, since: period.start, names: names ?? [:],
                                    comments: Self.latestComments(evidence, names: names ?? [:])))
        }
        let synthesis = try SynthesisStore().synthesis(studentID: studentID, period: period, in: db)
        let goals = synthesis.map { $0.goals.map { ProgressFile.Goal(text: $0, isSuggested: false) } } ?? []
        let school = try self.school(id: schoolID, in: db)
        return ProgressFile(
            generatedAt: generatedAt, school: school.identity, student: identity(stored),
            period: period, asOf: asOf, sections: sections,
            badges: try badges(studentID: studentID, issuer: school.issuer, asOf: asOf, in: db),
            synthesis: synthesis.map { ProgressFile.Synthesis(text: $0.text, author: names?[$0.author] ?? $0.author, writtenOn: $0.writtenOn) },
            goals: goals.isEmpty ? ProgressFile.suggestedGoals(sections) : goals,
            studentWords: try PeriodBilanStore().reflection(studentID: studentID, period: period, in: db).map {
                ProgressFile.StudentWords(proud: $0.proud, toWork: $0.toWork)
            },
            seenByFamily: try PeriodBilanStore().acknowledgements(studentID: studentID, period: period, in: db).map {
                ProgressFile.FamilySeen(name: $0.name, on: CalendarDate($0.at))
            })
    }

    private func section(_ target: ReferentialTarget, evidence: [String: [StoredEvaluation]],
                         since start: CalendarDate, names: [String: String],
                         comments: [String: ProgressFile.Comment]) -> ProgressFile.Section {
        let observations = evidence.mapValues { $0.map(\.observation) }
        let calculator = target.calculator
        let scale = target.scale
        let masteries = observations.mapValues { calculator.mastery(of: $0) }
        let rollUp = RollUp(rule: target.rollUpRule, policy: target.policy)
        let rows = target.referential.entries.compactMap { entry -> ProgressFile.Row? in
            let node = entry.node
            let seen = observations[node.code] ?? []
            let term = node.term ?? node.kind.frenchName
            // An evaluable domain nobody observed directly is shown through its objectives.
            let isGroup = !node.isEvaluable || (seen.isEmpty && node.children.contains(where: \.isEvaluable))
            if isGroup {
                guard !node.children.isEmpty else { return nil }
                let summary = rollUp.summary(of: node, masteries: masteries)
                return ProgressFile.Row(code: node.code, title: node.title, term: term, depth: entry.depth, content: .group(
                    ProgressFile.GroupSummary(acquired: summary.acquiredCount, evaluated: summary.evaluatedCount,
                                              total: summary.componentCodes.count, position: summary.position,
                                              explanation: summary.explanation)))
            }
            let mastery = masteries[node.code]
            let progress = mastery.flatMap {
                ProgressStore.progress(of: node.code, seen: seen, now: $0, since: start, calculator: calculator)
            }
            var latestByEvaluator: [String: StoredEvaluation] = [:]
            for evaluation in evidence[node.code] ?? [] where evaluation.observation.context != .autoEvaluation {
                latestByEvaluator[evaluation.observation.evaluator ?? "non précisé"] = evaluation
            }
            return ProgressFile.Row(code: node.code, title: node.title, term: term, depth: entry.depth, content: .competency(
                ProgressFile.Competency(
                    code: node.code, level: mastery?.level,
                    explanation: mastery?.explanation ?? "Pas encore d’observation",
                    change: progress?.change, previousLevel: progress?.before?.level,
                    teacherViews: latestByEvaluator.sorted { $0.value.observation.date > $1.value.observation.date }
                        .map { view(author: names[$0.key] ?? $0.key, $0.value.observation, scale: scale,
                                    earlierVersion: $0.value.earlierVersion) },
                    selfEvaluation: seen.last { $0.context == .autoEvaluation }.map { view(author: "élève", $0, scale: scale) },
                    comment: comments[node.code])))
        }
        return ProgressFile.Section(code: target.referential.code, version: target.referential.version,
                                    title: target.referential.title, scale: scale,
                                    method: target.policy.method.description, rows: rows)
    }

    /// The latest teacher's comment on each competency, by code, from the evidence already read
    /// (in force, up to the day of interest, across versions, oldest first).
    private static func latestComments(_ evidence: [String: [StoredEvaluation]],
                                       names: [String: String]) -> [String: ProgressFile.Comment] {
        evidence.compactMapValues { evaluations in
            evaluations.last { $0.observation.context != .autoEvaluation && !($0.comment ?? "").allSatisfy(\.isWhitespace) }
                .map { evaluation in
                    let author = evaluation.observation.evaluator ?? "non précisé"
                    return ProgressFile.Comment(author: names[author] ?? author, date: evaluation.observation.date,
                                                text: evaluation.comment ?? "")
                }
        }
    }

    private func view(author: String, _ observation: Observation, scale: Scale,
                      earlierVersion: String? = nil) -> ProgressFile.View {
        let label: String = switch scale.mark(for: observation.code) {
        case let .level(level, _)?: level.studentLabel
        case let .special(special)?: special.label
        case nil: observation.code
        }
        return ProgressFile.View(author: author, code: observation.code, label: label, date: observation.date,
                                 context: observation.context, earlierVersion: earlierVersion)
    }

    private func badges(studentID: Int64, issuer: Issuer?, asOf: CalendarDate, in db: any SQLConnection) throws -> [ProgressFile.EarnedBadge] {
        try BadgeStore().awards(studentID: studentID, in: db)
            .filter { !$0.isRevoked && $0.awardedOn <= asOf }
            .map { award in
                let levels = try BadgeStore().levels(of: award.badge, in: db)
                return ProgressFile.EarnedBadge(
                    code: award.badge.badgeClass.code, name: award.badge.badgeClass.name,
                    description: award.badge.badgeClass.description, awardedOn: award.awardedOn,
                    achievedLevel: award.achievedLevel.map { code in levels.first { $0.code == code }?.studentLabel ?? code },
                    verificationURL: issuer?.urls.verificationPage(award.uuid))
            }
    }

    // MARK: - Class report

    /// A class on one referential. Columns are the given competency codes, or the socle's eight
    /// LSU components, or every competency that has none below it.
    public mutating func classReport(division: String, uai: String, target: ReferentialTarget, period: Period,
                                     columns codes: [String]? = nil, quietDays: Int = 30,
                                     in db: any SQLConnection) throws -> ClassReport {
        let asOf = asOf(period)
        let students = try members(of: division, uai: uai, year: period.schoolYear, asOf: asOf, in: db)
        let nodes = try columnNodes(target, codes: codes)
        let calculator = target.calculator
        let rollUp = RollUp(rule: target.rollUpRule, policy: target.policy)
        let rows = try students.map { student -> ClassReport.StudentRow in
            let observations = try ProgressStore().observationsByCompetency(studentID: student.id, target: target, asOf: asOf, db)
            let masteries = observations.mapValues { calculator.mastery(of: $0) }
            let cells = nodes.map { node -> ClassReport.Cell in
                if let level = masteries[node.code]?.level { return ClassReport.Cell(level: level) }
                guard node.children.contains(where: \.isEvaluable) || !node.isEvaluable,
                      let position = rollUp.summary(of: node, masteries: masteries).position,
                      target.scale.levels.indices.contains(position - 1) else { return .empty }
                return ClassReport.Cell(level: target.scale.levels[position - 1], isRolledUp: true)
            }
            let progressed = target.referential.evaluableNodes.compactMap { node -> String? in
                guard let seen = observations[node.code], let now = masteries[node.code],
                      let change = ProgressStore.progress(of: node.code, seen: seen, now: now, since: period.start,
                                                          calculator: calculator)?.change,
                      change == .progressed || change == .firstLevel else { return nil }
                return node.code
            }
            return ClassReport.StudentRow(name: student.student.displayName, cells: cells, progressed: progressed)
        }
        let quiet = try ProgressStore().quietStudents(students, since: asOf.adding(days: -quietDays), in: db)
        let schoolID = try SchoolStore().schoolID(uai: uai, in: db)
        return ClassReport(
            generatedAt: generatedAt, school: try school(id: schoolID, in: db).identity, division: division, period: period,
            asOf: asOf, referential: identity(target.referential), scale: target.scale,
            columns: nodes.map { ClassReport.Column(code: $0.code, title: $0.title) }, students: rows,
            quiet: quiet.map { ClassReport.QuietStudent(name: $0.student.student.displayName, lastObservedOn: $0.lastObservedOn) },
            quietDays: quietDays,
            leavers: try SchoolStore().leavers(in: SchoolStore().division(code: division, schoolID: schoolID, year: period.schoolYear, in: db),
                                               asOf: asOf, in: db)
                .compactMap { left in left.student.leftOn.map { ClassReport.Leaver(name: left.student.displayName, leftOn: $0) } })
    }

    private func columnNodes(_ target: ReferentialTarget, codes: [String]?) throws -> [ReferentialNode] {
        let referential = target.referential
        if let codes {
            return try codes.map { code in
                guard let node = referential.node(code: code) else {
                    throw EvaluationError.unknownCompetency(code: code, referential: "\(referential.code) \(referential.version)")
                }
                return node
            }
        }
        if referential.kind == .socle {
            let components = referential.entries.map(\.node).filter { $0.externalCode(.lsu) != nil }
            if !components.isEmpty { return components }
        }
        return referential.evaluableNodes.filter { !$0.children.contains(where: \.isEvaluable) }
    }

    // MARK: - Official exports

    /// The LSU bilan de cycle of the students of `divisions`, from the socle referential
    /// `target`. Refuses, naming every student and component, while a position is missing.
    public mutating func cycleAssessment(divisions: [String], uai: String, year: SchoolYear, cycle: Int,
                                         headOfSchool: String, target: ReferentialTarget,
                                         in db: any SQLConnection) throws -> CycleAssessment {
        let period = Period.named("annee", in: year)!
        let asOf = asOf(period)
        let components = CycleAssessment.components.map { code in
            (code, target.referential.entries.map(\.node).first { $0.externalCode(.lsu)?.value == code })
        }
        let calculator = target.calculator
        let rollUp = RollUp(rule: target.rollUpRule, policy: target.policy)
        var students: [CycleAssessment.Student] = []
        var missing: [MissingPosition] = []
        var withoutID: [String] = []
        for division in divisions {
            for member in try members(of: division, uai: uai, year: year, in: db) {
                let observations = try ProgressStore().observationsByCompetency(studentID: member.id, target: target, asOf: asOf, db)
                let masteries = observations.mapValues { calculator.mastery(of: $0) }
                var positions: [String: Int] = [:]
                for (code, node) in components {
                    guard let node else { continue }
                    positions[code] = CycleAssessment.position(of: node, observations: observations, masteries: masteries,
                                                               rollUp: rollUp, scale: target.scale)
                }
                let name = member.student.displayName
                let absent = CycleAssessment.components.filter { positions[$0] == nil }
                if !absent.isEmpty { missing.append(MissingPosition(student: name, division: division, components: absent)) }
                guard let localID = member.student.localID, let number = Int(localID), number > 0 else {
                    withoutID.append(name)
                    continue
                }
                let synthesis = try SynthesisStore().synthesis(studentID: member.id, period: period, in: db)?.text
                students.append(CycleAssessment.Student(
                    schoolID: String(number), lastName: member.student.lastName, firstName: member.student.firstName,
                    division: division, positions: positions,
                    synthesis: synthesis ?? CycleAssessment.factualSynthesis(positions, evidence: observations.values.map(\.count).reduce(0, +))))
            }
        }
        if !missing.isEmpty { throw ExportError.missingPositions(missing) }
        if !withoutID.isEmpty { throw ExportError.missingSchoolID(withoutID) }
        let schoolID = try SchoolStore().schoolID(uai: uai, in: db)
        return CycleAssessment(school: try school(id: schoolID, in: db).identity, headOfSchool: headOfSchool, cycle: cycle,
                               schoolYear: year, createdOn: today, students: students)
    }

    /// Every competency of a diploma referential with a level, positioned on the LSL Pro degrees,
    /// for the students of `divisions`.
    public mutating func lslPositions(divisions: [String], uai: String, period: Period, target: ReferentialTarget,
                                      in db: any SQLConnection) throws -> [LSLPosition] {
        let asOf = asOf(period)
        let calculator = target.calculator
        let blockCode = LSLPosition.blockCodes(in: target.referential)
        let competencies = target.referential.evaluableNodes
        var positions: [LSLPosition] = []
        for division in divisions {
            for member in try members(of: division, uai: uai, year: period.schoolYear, in: db) {
                let observations = try ProgressStore().observationsByCompetency(studentID: member.id, target: target, asOf: asOf, db)
                for node in competencies {
                    guard let seen = observations[node.code], let level = calculator.mastery(of: seen).level,
                          let degree = LSLPosition.degree(of: level, in: target.scale) else { continue }
                    positions.append(LSLPosition(
                        ine: member.student.ine, lastName: member.student.lastName, firstName: member.student.firstName,
                        division: division, referential: identity(target.referential), competencyCode: node.code,
                        competencyTitle: node.title, rncpCode: blockCode[node.code], degree: degree, levelCode: level.code))
                }
            }
        }
        return positions
    }

    // MARK: - Shared

    /// The students of a class, or why there is nothing to export: an empty class is a typo
    /// more often than a choice.
    private func members(of division: String, uai: String, year: SchoolYear, asOf day: CalendarDate? = nil,
                         in db: any SQLConnection) throws -> [StoredStudent] {
        let students = try SchoolStore().students(inDivision: division, uai: uai, year: year, asOf: day ?? today, in: db)
        guard !students.isEmpty else { throw ExportError.noStudents("la classe \(division) en \(year)") }
        return students
    }

    private mutating func target(id: Int64, in db: any SQLConnection) throws -> ReferentialTarget {
        if let target = targets[id] { return target }
        let target = try ReferentialStore().target(id: id, in: db)
        targets[id] = target
        return target
    }

    /// The school's name as it issues badges, else as imported, else its UAI.
    private mutating func school(id: Int64, in db: any SQLConnection) throws -> (identity: SchoolIdentity, issuer: Issuer?) {
        if let school = schools[id] { return school }
        let row = try db.row(sql: "SELECT uai, name FROM school WHERE id = ?", arguments: [id])!
        let uai: String = row["uai"]
        let imported: String? = row["name"]
        let issuer = try BadgeStore().issuer(schoolID: id, in: db)
        let school = (SchoolIdentity(uai: uai, name: issuer?.name ?? imported ?? "Établissement \(uai)"), issuer)
        schools[id] = school
        return school
    }

    private func identity(_ stored: StoredStudent) -> StudentIdentity {
        StudentIdentity(lastName: stored.student.lastName, firstName: stored.student.firstName, ine: stored.student.ine,
                        division: stored.student.division)
    }

    private func identity(_ referential: Referential) -> ReferentialIdentity {
        ReferentialIdentity(code: referential.code, version: referential.version, title: referential.title)
    }
}
