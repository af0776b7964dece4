#!/usr/bin/env python3
"""Writes the collège part of the demo school: two classes sans notes of cycle 4
(3e A and 3e SEGPA) added to Samples/ElevesSansAdresses.xml, and a year and a term of
socle evaluations in Samples/evaluations-college.csv.

Everything is invented (names, INE, teachers). The draw is seeded, so running the script
again rewrites the same files. Profiles are chosen so that every screen has something to
show: steady progress, late starters, a student dispensed of the foreign language (DI), one
whose evidence stops in February, self-evaluations beside teachers' ones.
"""
import datetime
import pathlib
import random
import re

HERE = pathlib.Path(__file__).resolve().parent.parent
ROSTER = HERE / "ElevesSansAdresses.xml"
EVALUATIONS = HERE / "evaluations-college.csv"
BEGIN, END = "<!-- collège: begin (Samples/tools/college.py) -->", "<!-- collège: end -->"

FIRST = ["Adam", "Lina", "Louis", "Chloé", "Hugo", "Jade", "Nathan", "Manon", "Rayan", "Zoé", "Théo", "Lou",
         "Mohamed", "Camille", "Ethan", "Sofia", "Maël", "Ambre", "Kylian", "Alice", "Bilal", "Léna", "Tom",
         "Maëlys", "Noé", "Yasmine", "Gabriel", "Emma", "Sacha", "Inaya", "Lucas", "Rose", "Axel", "Nour",
         "Timéo", "Margaux", "Ilyes", "Clara", "Jules", "Anaïs", "Mathis", "Lilou", "Enzo", "Océane", "Ismaël",
         "Elsa", "Baptiste", "Salomé"]
LAST = ["MÜLLER", "DIALLO", "ROUSSEL", "GARCIA", "HOARAU", "KOWALSKI", "BERTRAND", "NASRI", "FONTAINE",
        "TRAORÉ", "LEROY", "SCHMITT", "MOREAU", "PEREIRA", "BOUCHER", "HADDAD", "LAMBERT", "CISSÉ", "MARCHAL",
        "OLIVEIRA", "GAUTHIER", "BENSAÏD", "PERRIN", "N'DIAYE", "MEYER", "CHEVALIER", "KLEIN", "RODRIGUES",
        "FAURE", "YILMAZ", "ANDRÉ", "ZIMMERMANN", "MERCIER", "OUARDI", "BLANC", "WEBER", "GIRAUD", "SANTOS",
        "LEMAIRE", "FERHAT", "COLIN", "THOMAS", "DUMONT", "BARRY", "MICHEL", "HUBER", "ROCHE", "SAÏDI"]

COMPONENTS = ["CPD_FRA", "CPD_ETR", "CPD_SCI", "CPD_ART"]
OBJECTIVES = [f"D{d}.{o}" for d in (2, 3, 4, 5) for o in (1, 2, 3, 4)]
LEVELS = ["MI", "MF", "MS", "TBM"]
TEACHERS = {"CPD_FRA": "mroux", "CPD_ETR": "jsmith", "CPD_SCI": "sbernard", "CPD_ART": "lpetit",
            "D2": "mroux", "D3": "kbenali", "D4": "sbernard", "D5": "kbenali"}
CONTEXTS = ["classe", "classe", "classe", "projet"]


def school_days(rng, start, end, count):
    """`count` distinct school days between start and end, summer holidays left out."""
    days = []
    span = (end - start).days
    while len(days) < count:
        day = start + datetime.timedelta(days=rng.randrange(span))
        if day.weekday() < 5 and day.month not in (7, 8) and day not in days:
            days.append(day)
    return sorted(days)


def level(rng, ability, progress):
    value = ability + progress + rng.gauss(0, 0.55)
    return LEVELS[max(0, min(3, round(value)))]


def students():
    rng = random.Random(2026)
    people = []
    for index in range(48):
        division = "3A" if index < 24 else "3SEGPA"
        ine = f"91000{index + 1:05d}{chr(65 + index % 26)}"
        people.append({
            "id": 300 + index, "ine": ine, "last": LAST[index], "first": FIRST[index],
            "birth": f"{rng.randrange(1, 28):02d}/{rng.randrange(1, 13):02d}/2012",
            "division": division,
            # SEGPA classes start from further back and move up steadily.
            "ability": rng.uniform(0.2, 1.4) if division == "3SEGPA" else rng.uniform(0.8, 2.2),
            "growth": rng.uniform(0.4, 1.3),
        })
    return people


def evaluations(people):
    rng = random.Random(42)
    start, today = datetime.date(2025, 9, 8), datetime.date(2026, 11, 20)
    rows = []
    for number, person in enumerate(people):
        # 3SEGPA's third student is dispensed of the foreign language; 3A's fifth stops in February.
        dispensed = person["division"] == "3SEGPA" and number % 24 == 2
        silent_from = datetime.date(2026, 2, 14) if person["division"] == "3A" and number % 24 == 4 else None
        for code in COMPONENTS + OBJECTIVES:
            teacher = TEACHERS.get(code) or TEACHERS[code.split(".")[0]]
            count = rng.randrange(3, 7) if code in COMPONENTS else rng.randrange(1, 4)
            for day in school_days(rng, start, today, count):
                if silent_from and day >= silent_from:
                    continue
                elapsed = (day - start).days / (today - start).days
                if dispensed and code == "CPD_ETR":
                    mark = "DI"
                elif rng.random() < 0.04:
                    mark = rng.choice(["ABS", "NR"])
                else:
                    mark = level(rng, person["ability"], person["growth"] * elapsed)
                rows.append((person["ine"], code, mark, day, rng.choice(CONTEXTS), teacher, ""))
            if code in COMPONENTS and rng.random() < 0.3:
                day = school_days(rng, datetime.date(2026, 9, 7), today, 1)[0]
                own = level(rng, person["ability"] + 0.3, person["growth"])
                rows.append((person["ine"], code, own, day, "auto", person["first"], "auto-évaluation"))
    rows.sort(key=lambda row: (row[0], row[1], row[3]))
    return rows


def write_roster(people):
    text = ROSTER.read_text(encoding="utf-8")
    text = re.sub(rf"\s*{re.escape(BEGIN)}.*?{re.escape(END)}", "", text, flags=re.S)
    eleves = "".join(
        f"""
      <ELEVE ELEVE_ID="{p['id']}" ELENOET="{p['id']}">
        <ID_NATIONAL>{p['ine']}</ID_NATIONAL>
        <NOM_DE_FAMILLE>{p['last'].replace("'", "&apos;")}</NOM_DE_FAMILLE>
        <PRENOM>{p['first']}</PRENOM>
        <DATE_NAISS>{p['birth']}</DATE_NAISS>
        <CODE_REGIME>2</CODE_REGIME>
      </ELEVE>""" for p in people)
    structures = "".join(
        f"""
      <STRUCTURES_ELEVE ELEVE_ID="{p['id']}">
        <STRUCTURE>
          <CODE_STRUCTURE>{p['division']}</CODE_STRUCTURE>
          <TYPE_STRUCTURE>D</TYPE_STRUCTURE>
        </STRUCTURE>
      </STRUCTURES_ELEVE>""" for p in people)
    text = text.replace("\n    </ELEVES>", f"\n      {BEGIN}{eleves}\n      {END}\n    </ELEVES>", 1)
    text = text.replace("\n    </STRUCTURES>", f"\n      {BEGIN}{structures}\n      {END}\n    </STRUCTURES>", 1)
    ROSTER.write_text(text, encoding="utf-8")


def write_evaluations(rows):
    lines = ["INE;Référentiel;Compétence;Niveau;Date;Contexte;Entreprise;Tuteur;Évaluateur;Commentaire"]
    for ine, code, mark, day, context, teacher, comment in rows:
        lines.append(f"{ine};SOCLE-2015;{code};{mark};{day:%d/%m/%Y};{context};;;{teacher};{comment}")
    EVALUATIONS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    people = students()
    write_roster(people)
    write_evaluations(evaluations(people))
