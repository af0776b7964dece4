"""Every page of every role, looked at like a person would: on a phone (390 × 844, touch) and
on a desktop (1280 × 900). Each page is kept as a screenshot in ARTIFACTS_DIR/screens/WIDTH/,
passes axe (WCAG 2.1 AA) at both widths, and never scrolls sideways on the phone (a table may
scroll inside its own box). On the phone, the entry mode's choices and buttons are at least
44 × 44 px and a whole entry is made by touch alone.

Usage: pages.py BASE_URL ARTIFACTS_DIR
"""
import os
import sys
import traceback
from urllib.parse import urlparse

from browsing import *  # noqa: F401,F403

ACCOUNTS = {"enseignant": "demo-enseignant", "eleve": "demo-eleve", "famille": "demo-famille",
            "direction": "demo-direction", "inspection": "demo-inspection", "academie": "demo-academie"}


def pages(driver, role):
    """The pages a role reaches, found by following the app's own links."""
    path = lambda: urlparse(driver.current_url).path + ("?" + urlparse(driver.current_url).query if urlparse(driver.current_url).query else "")
    if role == "enseignant":
        yield "home", "/enseignant"
        yield "grid", "/classes/2CAP-EPC?referentiel=CAP-EPC"
        student = driver.find_element(By.CSS_SELECTOR, "table.grid tbody th a").get_attribute("href")
        level = driver.find_elements(By.CSS_SELECTOR, "table.grid a.level")
        level = level[0].get_attribute("href") if level else None
        yield "entry, one student", "/classes/2CAP-EPC/saisie?referentiel=CAP-EPC"
        yield "entry, one competency", "/classes/2CAP-EPC/saisie?par=competence&referentiel=CAP-EPC"
        yield "student page", urlparse(student).path
        yield "student's portfolio", urlparse(student).path + "/portfolio"
        yield "student's PFMP", urlparse(student).path + "/pfmp"
        if level:
            yield "a level's explanation", urlparse(level).path + "?" + urlparse(level).query
        yield "requests", "/demandes"
        yield "students to follow", "/vigilance"
        yield "need groups", "/classes/2CAP-EPC/groupes"
        yield "period bilans", "/classes/2CAP-EPC/periode"
        yield "exports", "/exports"
    elif role in ("eleve", "famille"):
        yield "progress", "/eleve"
        yield "badges", "/eleve/badges"
        yield "portfolio", "/eleve/portfolio"
        links = driver.find_elements(By.PARTIAL_LINK_TEXT, "Lien de vérification")
        if links:
            yield "badge verification", urlparse(links[0].get_attribute("href")).path
    elif role == "direction":
        for name, page in (("home", "/direction"), ("settings", "/direction/etablissement"), ("issuer", "/direction/emetteur"),
                           ("thresholds", "/direction/seuils"), ("teachers", "/direction/enseignants"),
                           ("students", "/direction/eleves"), ("accounts", "/direction/comptes"),
                           ("class referentials", "/direction/classes/2CAP-EPC/referentiels"),
                           ("grid", "/classes/2CAP-EPC?referentiel=CAP-EPC"), ("students to follow", "/vigilance"),
                           ("exports", "/exports")):
            yield name, page
    elif role == "inspection":
        yield "home", "/inspection"
        tree = driver.find_elements(By.CSS_SELECTOR, "a[href^='/referentiels/']")
        if tree:
            yield "published referential", urlparse(tree[0].get_attribute("href")).path
        yield "académie overview", "/academie"
    elif role == "academie":
        yield "home", "/academie"
    else:
        yield "sign-in", "/connexion"
        yield "activation", "/activation"
        yield "badge verification form", "/verifier"


def touch_entry(driver):
    """A whole entry with the thumb: tap a level, tap save, see it saved."""
    driver.get(BASE + "/classes/2CAP-EPC/saisie?referentiel=CAP-EPC")
    small = small_targets(driver, "label.choice, .entry-actions button, .entry-nav a, details.context summary")
    check("phone entry: every choice and button is at least 44 × 44 px", driver, not small, "; ".join(small[:5]))
    choice = driver.find_elements(By.CSS_SELECTOR, "fieldset.entry-item")[0].find_elements(By.CSS_SELECTOR, "label.choice")[2]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
    choice.click()
    driver.find_element(By.CSS_SELECTOR, ".entry-actions button").click()
    WebDriverWait(driver, 30).until(EC.url_contains("enregistre="))
    check("phone entry: one level tapped and saved, on to the next student", driver,
          "1 évaluation enregistrée" in text(driver) and "Élève 2 sur" in text(driver))
    driver.get(BASE + "/enseignant")
    small = small_targets(driver, "a.action")
    check("phone home: class actions are at least 44 × 44 px", driver, not small, "; ".join(small[:5]))


for size in (PHONE, DESKTOP):
    driver = browser(size, phone=size == PHONE)
    try:
        for role in ("public", "enseignant", "eleve", "famille", "direction", "inspection", "academie"):
            try:
                if role == "public":
                    driver.delete_all_cookies()
                else:
                    sign_in(driver, role, ACCOUNTS[role])
                for name, page in pages(driver, role):
                    driver.get(BASE + page)
                    look(driver, size[0], role, name)
                if role == "enseignant" and size == PHONE:
                    touch_entry(driver)
            except Exception:
                check(f"{role} at {size[0]} px: every page visited", driver, False, traceback.format_exc(limit=3))
    finally:
        driver.quit()
sys.exit(1 if failures else 0)
