import AcquisCore
import AcquisBadges
import Foundation
import JWTKit

/// An issuer whose badges can be checked offline: its published keys (retired ones included)
/// and its revocations.
public struct TrustedIssuer: Sendable {
    public var issuer: Issuer
    public var keys: [IssuerKey]
    /// Revocation reasons by award UUID.
    public var revocations: [String: String]
    /// Badge class names by the URL of their hosted document: Open Badges 2.0 assertions name
    /// their badge by URL only.
    public var badgeNames: [String: String]

    public init(issuer: Issuer, keys: [IssuerKey], revocations: [String: String], badgeNames: [String: String] = [:]) {
        self.issuer = issuer
        self.keys = keys
        self.revocations = revocations
        self.badgeNames = badgeNames
    }
}

/// What `acquis badge verify` concludes about a file.
public struct BadgeVerdict: Sendable {
    public enum Status: Equatable, Sendable {
        case valid
        case revoked(reason: String)
        case expired(on: Date)
        case notYetValid(from: Date)
        /// The signature does not match the content, or the content contradicts itself.
        case tampered(String)
        case unknownIssuer(String)
        case unreadable(String)
    }

    public var status: Status
    public var version: OpenBadgesVersion?
    public var badgeName: String?
    public var issuerName: String?
    public var issuedAt: Date?
    public var id: String?
    /// Whether the identifier given to the verifier is the badge's recipient; `nil` when none was given.
    public var recipientMatches: Bool?

    public var isValid: Bool { status == .valid && recipientMatches != false }

    /// The verdict in one French paragraph, reason first.
    public var explanation: String {
        let what = [badgeName.map { "« \($0) »" }, issuerName.map { "délivré par \($0)" },
                    issuedAt.map { "le \(Self.day($0))" }].compactMap { $0 }.joined(separator: " ")
        let head: String
        switch status {
        case .valid where recipientMatches == false:
            return "BADGE AUTHENTIQUE MAIS PAS AU NOM INDIQUÉ : \(what). La signature est valide, mais le badge n’a pas été délivré à la personne indiquée."
        case .valid:
            head = "BADGE VALIDE : \(what). Signature vérifiée, badge non révoqué, non expiré."
        case .revoked(let reason):
            head = "BADGE RÉVOQUÉ : \(what). Motif de l’émetteur : \(French.sentence(reason))"
        case .expired(let date):
            head = "BADGE EXPIRÉ : \(what). Il n’est plus valable depuis le \(Self.day(date))."
        case .notYetValid(let date):
            head = "BADGE PAS ENCORE VALABLE : \(what). Il le sera à partir du \(Self.day(date))."
        case .tampered(let reason):
            head = "BADGE REFUSÉ : \(reason)"
        case .unknownIssuer(let reason):
            head = "ÉMETTEUR INCONNU : \(reason)"
        case .unreadable(let reason):
            head = "FICHIER ILLISIBLE : \(reason)"
        }
        switch recipientMatches {
        case true?: return head + " Il a bien été délivré à la personne indiquée."
        case false?: return head + " De plus, il n’a pas été délivré à la personne indiquée."
        case nil: return head
        }
    }

    public static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "dd/MM/yyyy"
        return formatter.string(from: date)
    }
}

/// Checks a badge offline against the local issuer registry: signature, issuer key,
/// revocation, validity dates and, when asked, the recipient.
public struct BadgeVerifier: Sendable {
    public var trusted: [TrustedIssuer]
    public var now: Date

    public init(trusted: [TrustedIssuer], now: Date = Date()) {
        self.trusted = trusted
        self.now = now
    }

    /// Verifies a file's content: a baked PNG or SVG, a JWS, or a JSON document.
    public func verify(_ content: [UInt8], recipient: String? = nil) async -> BadgeVerdict {
        let token: String
        do {
            token = try Self.token(in: content)
        } catch let error as BadgeVerdict.Status {
            return BadgeVerdict(status: error)
        } catch {
            return BadgeVerdict(status: .unreadable("\(error)"))
        }
        return await verify(token: token, recipient: recipient)
    }

    /// Finds the signed badge inside a file.
    static func token(in content: [UInt8]) throws -> String {
        if PNGBaker.isPNG(content) {
            for version in OpenBadgesVersion.allCases.reversed() {
                if let token = try PNGBaker.unbake(content, version: version) { return token }
            }
            throw BadgeVerdict.Status.unreadable("cette image PNG ne contient pas de badge (aucun bloc iTXt « openbadges » ou « openbadgecredential »)")
        }
        let text = String(decoding: content, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.contains("<svg") {
            for version in OpenBadgesVersion.allCases.reversed() {
                if let token = SVGBaker.unbake(text, version: version) { return token }
            }
            throw BadgeVerdict.Status.unreadable("cette image SVG ne contient pas de badge signé (attribut verify introuvable)")
        }
        if text.hasPrefix("{") {
            throw BadgeVerdict.Status.unreadable("ce document JSON n’est pas signé : il ne prouve rien à lui seul ; vérifiez l’image PNG ou SVG, ou le jeton JWS du badge")
        }
        guard text.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
            throw BadgeVerdict.Status.unreadable("ni image PNG ou SVG, ni jeton JWS, ni document JSON")
        }
        return text
    }

    public func verify(token: String, recipient: String? = nil) async -> BadgeVerdict {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: parts[0]),
              let payloadData = Data(base64URLEncoded: parts[1]),
              let header = try? JSONValue(json: headerData), let payload = try? JSONValue(json: payloadData) else {
            return BadgeVerdict(status: .unreadable("jeton JWS mal formé"))
        }
        var verdict = BadgeVerdict(status: .valid)
        let version: OpenBadgesVersion
        if payload["@context"]?.string == OpenBadges2.context.string {
            version = .v2
            verdict.id = payload["id"]?.string
        } else if payload["type"]?.strings.contains(where: { $0 == "OpenBadgeCredential" || $0 == "AchievementCredential" }) == true {
            version = .v3
            verdict.id = payload["id"]?.string
            verdict.badgeName = payload["name"]?.string ?? payload["credentialSubject"]?["achievement"]?["name"]?.string
        } else {
            verdict.status = .unreadable("le jeton ne contient ni assertion Open Badges 2.0 ni OpenBadgeCredential 3.0")
            return verdict
        }
        verdict.version = version

        guard let (trustedIssuer, key) = signingKey(version: version, header: header, payload: payload) else {
            verdict.status = .unknownIssuer("aucune clé connue de cette installation d’Acquis n’a signé ce badge ; "
                + "il vient d’un autre émetteur ou d’une clé qui n’a jamais été publiée")
            return verdict
        }
        verdict.issuerName = trustedIssuer.issuer.name
        if version == .v2, let badgeURL = payload["badge"]?.string {
            verdict.badgeName = trustedIssuer.badgeNames[badgeURL] ?? badgeURL
        }
        guard await Self.signatureIsValid(token, key: key) else {
            verdict.status = .tampered("la signature ne correspond pas au contenu : le badge a été modifié après sa signature, "
                + "ou signé par une autre clé que celle qu’il annonce")
            return verdict
        }
        if let problem = claimsProblem(version: version, payload: payload, issuer: trustedIssuer.issuer) {
            verdict.status = .tampered(problem)
            return verdict
        }
        let dates = validity(version: version, payload: payload)
        verdict.issuedAt = dates.from
        if let uuid = verdict.id?.dropping(prefix: "urn:uuid:"), let reason = trustedIssuer.revocations[uuid] {
            verdict.status = .revoked(reason: reason)
        } else if let until = dates.until, until < now {
            verdict.status = .expired(on: until)
        } else if let from = dates.from, from > now.addingTimeInterval(300) {
            verdict.status = .notYetValid(from: from)
        }
        if let recipient {
            verdict.recipientMatches = Self.recipient(version: version, payload: payload)?.matches(recipient) ?? false
        }
        return verdict
    }

    func signingKey(version: OpenBadgesVersion, header: JSONValue, payload: JSONValue) -> (TrustedIssuer, IssuerKey)? {
        for candidate in trusted {
            for key in candidate.keys {
                let urls = candidate.issuer.urls
                switch version {
                case .v2:
                    if payload["verification"]?["creator"]?.string == urls.key(key.id) { return (candidate, key) }
                case .v3:
                    if header["kid"]?.string == urls.jwk(key.id) || header["jwk"]?["kid"]?.string == key.id {
                        return (candidate, key)
                    }
                }
            }
        }
        return nil
    }

    static func signatureIsValid(_ token: String, key: IssuerKey) async -> Bool {
        let keys = JWTKeyCollection()
        do {
            switch key.algorithm {
            case .rs256:
                await keys.add(rsa: try JWTKit.Insecure.RSA.PublicKey(pem: key.publicKeyPEM), digestAlgorithm: .sha256)
            case .es256:
                await keys.add(ecdsa: try ES256PublicKey(pem: key.publicKeyPEM))
            }
            _ = try await keys.verify(token, as: Claims.self)
            return true
        } catch {
            return false
        }
    }

    /// The signed content must agree with itself and with the issuer that signed it.
    private func claimsProblem(version: OpenBadgesVersion, payload: JSONValue, issuer: Issuer) -> String? {
        let urls = issuer.urls
        switch version {
        case .v2:
            guard let badge = payload["badge"]?.string, badge.hasPrefix(urls.base + "/") else {
                return "le badge annoncé n’appartient pas à l’émetteur dont la clé l’a signé"
            }
        case .v3:
            guard payload["iss"]?.string == urls.issuer, payload["issuer"]?["id"]?.string == urls.issuer else {
                return "l’émetteur annoncé (iss, issuer.id) n’est pas celui dont la clé a signé le badge"
            }
            guard payload["jti"]?.string == payload["id"]?.string else {
                return "l’identifiant du jeton (jti) diffère de celui du badge"
            }
            if let nbf = payload["nbf"]?.int, let from = payload["validFrom"]?.string.flatMap(Date.init(openBadgesTimestamp:)),
               Int(from.timeIntervalSince1970) != nbf {
                return "la date de validité du jeton (nbf) diffère de celle du badge (validFrom)"
            }
        }
        return nil
    }

    private func validity(version: OpenBadgesVersion, payload: JSONValue) -> (from: Date?, until: Date?) {
        switch version {
        case .v2:
            (payload["issuedOn"]?.string.flatMap(Date.init(openBadgesTimestamp:)),
             payload["expires"]?.string.flatMap(Date.init(openBadgesTimestamp:)))
        case .v3:
            (payload["validFrom"]?.string.flatMap(Date.init(openBadgesTimestamp:)),
             payload["validUntil"]?.string.flatMap(Date.init(openBadgesTimestamp:)))
        }
    }

    static func recipient(version: OpenBadgesVersion, payload: JSONValue) -> HashedRecipient? {
        switch version {
        case .v2:
            guard let recipient = payload["recipient"], let identity = recipient["identity"]?.string,
                  let kind = recipient["type"]?.string.flatMap(HashedRecipient.Kind.init(ob2Type:)) else { return nil }
            return HashedRecipient(kind: kind, salt: recipient["salt"]?.string ?? "", identityHash: identity)
        case .v3:
            guard let identifier = payload["credentialSubject"]?["identifier"]?.values.first,
                  let hash = identifier["identityHash"]?.string else { return nil }
            let kind: HashedRecipient.Kind = identifier["identityType"]?.string == "emailAddress" ? .email : .studentID
            return HashedRecipient(kind: kind, salt: identifier["salt"]?.string ?? "", identityHash: hash)
        }
    }
}

extension BadgeVerdict.Status: Error {}

extension BadgeVerdict {
    init(status: Status) {
        self.status = status
    }
}

extension String {
    func dropping(prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
