"""Main flows of each role in headless Chromium, with an accessibility check of each page.

Usage: flows.py BASE_URL ARTIFACTS_DIR
Prints one `ok`/`FAIL` line per check; on failure, a screenshot and the page source of the
failing page are written to ARTIFACTS_DIR. Exit status 1 when any check failed.
"""
import os
import sys
import tempfile
import traceback

from browsing import *  # noqa: F401,F403 (BASE, ARTIFACTS, failures, browser, check, accessible, sign_in, click, text)


def teacher(driver):
    driver.get(BASE + "/connexion")
    accessible("sign-in page", driver)
    first = driver.switch_to.active_element
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    check("keyboard: the first Tab reaches the skip link", driver,
          driver.switch_to.active_element.get_attribute("class") == "skip" or first.get_attribute("id") == "identifiant")
    sign_in(driver, "enseignant", "demo-enseignant")
    check("teacher: home lists the classes", driver, "2CAP-EPC" in text(driver))
    accessible("teacher home", driver)
    click(driver, driver.find_element(By.LINK_TEXT, "Grille de 2CAP-EPC"), "/classes/2CAP-EPC")
    cells = driver.find_elements(By.CSS_SELECTOR, "input.cell")
    check("teacher: grid of 12 students", driver, len(driver.find_elements(By.CSS_SELECTOR, "table.grid tbody tr")) == 12)
    accessible("class grid", driver)
    cells[0].click()
    cells[0].send_keys("3")  # rank 3 of acquis-4: A; focus moves down a row
    check("keyboard: a digit becomes the level code", driver, cells[0].get_attribute("value") == "A")
    active = driver.switch_to.active_element
    active.send_keys("4")
    active.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.success")))
    check("teacher: two cells typed and saved with Enter", driver, "2 évaluations enregistrées" in text(driver))
    # A level typed and not saved (the connection lost, the session expired) comes back.
    cells = driver.find_elements(By.CSS_SELECTOR, "input.cell")
    cells[5].send_keys("M")
    driver.get(BASE + "/classes/2CAP-EPC")
    restored = driver.find_elements(By.CSS_SELECTOR, "input.cell")[5].get_attribute("value")
    check("teacher: a typed level survives leaving the page unsaved", driver,
          restored == "M" and driver.find_element(By.ID, "brouillon").is_displayed(), f"value {restored!r}")
    driver.find_elements(By.CSS_SELECTOR, "input.cell")[5].send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.success")))
    driver.get(BASE + "/classes/2CAP-EPC")
    check("teacher: once saved, nothing is restored", driver,
          not driver.find_element(By.ID, "brouillon").is_displayed() and driver.find_elements(By.CSS_SELECTOR, "input.cell")[5].get_attribute("value") == "")
    click(driver, driver.find_element(By.CSS_SELECTOR, "table.grid tbody tr th a"), "/eleves/")
    check("teacher: student page explains levels", driver, "Historique des preuves" in text(driver))
    accessible("student page (teacher)", driver)
    driver.get(BASE + "/demandes")
    check("teacher: request queue shows Léa's request", driver, "MARTIN Léa" in text(driver))
    accessible("request queue", driver)
    driver.get(BASE + "/vigilance")
    check("teacher: students to follow, class by class", driver, "Élèves que j’accompagne" in text(driver))
    accessible("students to follow", driver)
    driver.get(BASE + "/classes/2CAP-EPC/groupes?referentiel=CAP-EPC&periode=T1&competences=B1.1&competences=B2.1")
    check("teacher: need groups suggested with a group per student", driver,
          len(driver.find_elements(By.CSS_SELECTOR, "select[name^='g-']")) == 12)
    accessible("need groups", driver)
    driver.get(BASE + "/classes/2CAP-EPC/periode")
    check("teacher: where each bilan of the class stands", driver, "Où en est le bilan de chaque élève" in driver.page_source)
    accessible("class period bilans", driver)
    no_horizontal_scroll("class period bilans", driver)
    driver.get(BASE + "/exports")
    accessible("exports", driver)
    no_horizontal_scroll("exports", driver)


def student(driver):
    sign_in(driver, "eleve", "demo-eleve")
    check("student: progress in positive words", driver, "Au fil de l’année" in text(driver) and "échec" not in text(driver).lower())
    accessible("student progress", driver)
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/eleve/auto-evaluations'] button"), "ok=auto")
    check("student: self-evaluation recorded", driver, "auto-évaluation est enregistrée" in text(driver))
    driver.get(BASE + "/eleve/badges")
    accessible("student badges", driver)
    links = driver.find_elements(By.PARTIAL_LINK_TEXT, "Télécharger l’image PNG")
    check("student: badge download links", driver, len(links) > 0)
    click(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Lien de vérification"), "/verifier/")
    check("public: the verification link says the badge is valid", driver, "BADGE VALIDE" in text(driver))
    accessible("verification page", driver)


def family(driver):
    sign_in(driver, "famille", "demo-famille")
    check("family: sees the child's progress, without the student's forms", driver,
          "Les progrès de Léa" in driver.title and "Demander à être évalué" not in text(driver))


def inspector(driver):
    sign_in(driver, "inspection", "demo-inspection")
    accessible("inspector home", driver)
    folder = tempfile.mkdtemp()
    broken = os.path.join(folder, "vente-2027.xml")
    with open(broken, "w", encoding="utf-8") as file:
        file.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<referential xmlns="urn:acquis:referential:1" code="VENTE-2027" version="2027" kind="diplome" scale="acquis-4">\n'
                   '  <title>Vente (essai)</title>\n  <block code="B1"><title>Vendre</title>\n'
                   '    <competency code="mauvais code"><title>Accueillir</title></competency>\n  </block>\n</referential>\n')
    driver.find_element(By.ID, "fichier").send_keys(broken)
    driver.find_element(By.CSS_SELECTOR, "form[enctype] button").click()
    WebDriverWait(driver, 30).until(EC.url_contains("/brouillons/"))
    check("inspector: errors listed with their line", driver, "ne peut pas être publié" in text(driver)
          and any(cell.text == "5" for cell in driver.find_elements(By.CSS_SELECTOR, "tbody td")))
    accessible("draft with errors", driver)
    with open(broken, "w", encoding="utf-8") as file:
        file.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<referential xmlns="urn:acquis:referential:1" code="VENTE-2027" version="2027" kind="diplome" scale="acquis-4">\n'
                   '  <title>Vente (essai)</title>\n  <block code="B1"><title>Vendre</title>\n'
                   '    <competency code="C1"><title>Accueillir</title></competency>\n  </block>\n</referential>\n')
    driver.get(BASE + "/inspection")
    driver.find_element(By.ID, "fichier").send_keys(broken)
    driver.find_element(By.CSS_SELECTOR, "form[enctype] button").click()
    WebDriverWait(driver, 30).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Le fichier est valide"))
    check("inspector: preview of a valid file", driver, "Le fichier est valide" in text(driver))
    accessible("draft preview", driver)
    driver.find_element(By.XPATH, "//button[text()='Publier cette version']").click()
    WebDriverWait(driver, 30).until(EC.url_contains("publie="))
    check("inspector: published version listed", driver, "VENTE-2027" in text(driver))


def direction(driver):
    sign_in(driver, "direction", "demo-direction")
    driver.get(BASE + "/direction/emetteur")
    check("direction: the issuer's profile can be edited", driver,
          driver.find_element(By.ID, "nom").get_attribute("value").startswith("Cité scolaire des Tilleuls"))
    accessible("issuer profile", driver)
    driver.find_element(By.ID, "nom").clear()
    driver.find_element(By.ID, "nom").send_keys("Cité scolaire des Tilleuls" + Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.success")))
    check("direction: the profile is saved from the browser", driver, "Profil de l’émetteur enregistré" in text(driver))
    driver.get(BASE + "/direction/seuils")
    accessible("thresholds", driver)
    for page, name in (("/direction/etablissement", "school settings"), ("/direction/enseignants", "teachers of the school"),
                       ("/direction/eleves", "students of the school"), ("/direction/comptes", "accounts"), ("/exports", "exports (direction)")):
        driver.get(BASE + page)
        accessible(name, driver)
        no_horizontal_scroll(name, driver)
    driver.get(BASE + "/direction/emetteur")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/direction/emetteur/cles'] button"), "cle=")
    check("direction: a new signing key from the browser, the former one kept", driver,
          "Nouvelle clé" in text(driver) and "vérifie encore les badges" in text(driver))
    no_horizontal_scroll("issuer profile and keys", driver)


def public(driver):
    driver.delete_all_cookies()
    driver.get(BASE + "/verifier")
    accessible("badge verification form", driver)
    driver.get(BASE + "/eleves/1")
    check("signed out: a student page sends to sign-in", driver, "/connexion" in driver.current_url)


driver = browser()
try:
    for flow in (public, teacher, student, family, inspector, direction):
        try:
            flow(driver)
        except Exception:
            check(f"{flow.__name__}: flow ran to the end", driver, False, traceback.format_exc(limit=3))
finally:
    driver.quit()
sys.exit(1 if failures else 0)
