"""A new school from a blank database to a teacher grading, in headless Chromium.

Usage: new_school.py BASE_URL ARTIFACTS_DIR SETUP_TOKEN FILES_DIR REFERENTIAL_XML
FILES_DIR holds the school's SIECLE exports (ElevesSansAdresses.xml, ResponsablesAvecAdresses.xml) and its
STS-web export (sts_emp_0571234T_2026.xml, in ISO-8859-15).
Prints one `ok`/`FAIL` line per check; exit status 1 when any check failed.
"""
import csv
import io
import os
import subprocess
import tempfile
import traceback
import urllib.request

from browsing import *  # noqa: F401,F403

TOKEN, FILES, REFERENTIAL = sys.argv[3], sys.argv[4], sys.argv[5]
PASSWORD = "un-mot-de-passe-long"


def submit(driver, form_action, url_part):
    click(driver, driver.find_element(By.CSS_SELECTOR, f"form[action='{form_action}'] button[type=submit]"), url_part)


def download(driver, path):
    """A file behind the signed-in session, fetched with the browser's cookies."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookies})
    return urllib.request.urlopen(request).read()


def codes_of(driver, letters_page):
    rows = csv.reader(io.StringIO(download(driver, letters_page + "/comptes.csv").decode("utf-8-sig")), delimiter=";")
    next(rows)
    return {row[3]: row[4] for row in rows}


def activate(driver, login, code):
    driver.delete_all_cookies()
    driver.get(BASE + "/activation")
    driver.find_element(By.ID, "identifiant").send_keys(login)
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
    driver.find_element(By.ID, "confirmation").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.who")))


def new_school(driver):
    driver.get(f"{BASE}/installation/{TOKEN}")
    accessible("setup page", driver)
    no_horizontal_scroll("setup page", driver)
    driver.find_element(By.ID, "uai").send_keys("0571234T")
    driver.find_element(By.ID, "nom").send_keys("Lycée professionnel Émile Gallé (fictif)")
    driver.find_element(By.CSS_SELECTOR, "#zone option[value='B']").click()
    driver.find_element(By.ID, "nom_affiche").send_keys("Mme Lefèvre")
    driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD)
    driver.find_element(By.ID, "confirmation").send_keys(PASSWORD)
    click(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"), "/connexion")
    check("setup: the school is created, the direction signs in", driver, "L’établissement est installé" in text(driver))
    sign_in(driver, "direction", PASSWORD)

    # The referential the classes follow, published from the browser.
    driver.get(BASE + "/inspection")
    driver.find_element(By.ID, "fichier").send_keys(REFERENTIAL)
    submit(driver, "/inspection/referentiels", "/inspection/brouillons/")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/publication'] button"), "publie=")
    check("direction: the CAP referential is published", driver, "CAP-EPC" in text(driver))

    for name, expected in (("ElevesSansAdresses.xml", "4 élèves"), ("ResponsablesAvecAdresses.xml", "1 responsable légal")):
        driver.get(BASE + "/direction/eleves")
        driver.find_element(By.ID, "fichier").send_keys(os.path.join(FILES, name))
        submit(driver, "/direction/eleves", "/depots/")
        check(f"import: {name} is previewed before anything is stored", driver, expected in text(driver), text(driver)[:300])
        accessible(f"preview of {name}", driver)
        no_horizontal_scroll(f"preview of {name}", driver)
        click(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/confirmation'] button"), "/direction/eleves?")
        check(f"import: {name} is stored on confirmation", driver, "Import terminé" in text(driver))
    check("import: the classes of the file are listed", driver, "2CAP-VENTE" in text(driver) and "1MCV-B" in text(driver))
    accessible("students page", driver)

    # Teachers and what they teach, from STS-web: previewed with what is left aside and why.
    driver.get(BASE + "/direction/enseignants")
    accessible("teachers page", driver)
    driver.find_element(By.ID, "fichier").send_keys(os.path.join(FILES, "sts_emp_0571234T_2026.xml"))
    submit(driver, "/direction/enseignants", "/depots/")
    preview = text(driver)
    check("import: STS-web is previewed, 2 teachers and the main teacher", driver,
          "2 enseignants ajoutés" in preview and "1 professeur principal" in preview, preview[:400])
    check("import: the unknown class, the CPE and the teacher on leave are named with their line", driver,
          "TNE-X" in preview and "Jérôme LEFÈVRE" in preview and "Anne CONGÉ" in preview, preview[:800])
    accessible("preview of the STS-web export", driver)
    no_horizontal_scroll("preview of the STS-web export", driver)
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/confirmation'] button"), "/direction/enseignants?")
    check("import: teachers stored with their classes and subjects", driver,
          "Import terminé : 2 enseignants enregistrés" in text(driver) and "2CAP-VENTE (Vente et accueil)" in text(driver), text(driver)[:400])
    no_horizontal_scroll("teachers page", driver)

    driver.get(BASE + "/direction/classes/2CAP-VENTE/referentiels")
    driver.find_element(By.CSS_SELECTOR, "select[name='CAP-EPC'] option[value='2019']").click()
    click(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"), "enregistre=1")
    check("classes: 2CAP-VENTE follows CAP-EPC 2019", driver, "Choix enregistré" in text(driver))
    accessible("class referentials", driver)

    driver.get(BASE + "/direction/comptes")
    accessible("accounts page", driver)
    no_horizontal_scroll("accounts page", driver)
    submit(driver, "/direction/comptes/enseignants/manquants", "/lettres/")
    accessible("letters page", driver)
    letters = driver.current_url.replace(BASE, "")
    teacher_codes = codes_of(driver, letters)
    check("accounts: the teachers from STS-web get one each, with the login given at the import", driver,
          sorted(teacher_codes) == ["emilie.dupre", "kevin.nguessan"], str(sorted(teacher_codes)))
    teacher_code = teacher_codes["emilie.dupre"]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(download(driver, letters + "/lettres.pdf"))
        pdf.flush()
        letter = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf.name, "-"], capture_output=True, text=True).stdout
    check("letters: the PDF names the school, the login and the code", driver,
          "Émile Gallé" in letter and "emilie.dupre" in letter and teacher_code in letter, letter[:400])

    driver.get(BASE + "/direction/comptes")
    driver.find_element(By.CSS_SELECTOR, "form[action='/direction/comptes/eleves'] input[value='2CAP-VENTE']").click()
    submit(driver, "/direction/comptes/eleves", "/lettres/")
    student_codes = codes_of(driver, driver.current_url.replace(BASE, ""))
    check("accounts: the students present get one, not the one who left", driver,
          sorted(student_codes) == ["moussa.ndiaye", "zoe.garcia"], str(sorted(student_codes)))
    driver.get(BASE + "/direction/comptes")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/direction/comptes/familles'] button[value='tout']"), "/lettres/")
    family_codes = codes_of(driver, driver.current_url.replace(BASE, ""))
    check("accounts: one family account for the legal guardian of two children", driver, list(family_codes) == ["ines.garcia"])

    activate(driver, "emilie.dupre", teacher_code)
    check("teacher: activated, her class is on her home page", driver, "2CAP-VENTE" in text(driver))
    driver.get(BASE + "/classes/2CAP-VENTE")
    check("teacher: the grid opens on the class's referential", driver, "CAP Équipier polyvalent du commerce" in text(driver))
    cells = driver.find_elements(By.CSS_SELECTOR, "input.cell")
    cells[0].click()
    cells[0].send_keys("3")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.success")))
    check("teacher: the first evaluation of the school is recorded", driver, "1 évaluation enregistrée" in text(driver), text(driver)[:300])

    zoe_page = driver.find_element(By.XPATH, "//table[contains(@class,'grid')]//a[contains(., 'GARCÍA')]").get_attribute("href")

    activate(driver, "zoe.garcia", student_codes["zoe.garcia"])
    check("student: activated, sees her progress", driver, "Mes progrès" in driver.title or "progrès" in text(driver))
    accessible("student space after activation", driver)
    driver.find_element(By.ID, "fier").send_keys("J’ai conseillé une cliente toute seule.")
    driver.find_element(By.ID, "travailler").send_keys("La mise en rayon.")
    submit(driver, "/eleve/bilan", "ok=bilan")
    check("student: writes her part of the period's bilan first", driver, "Ton bilan est enregistré" in text(driver))

    driver.delete_all_cookies()
    sign_in(driver, "emilie.dupre", PASSWORD)
    driver.get(zoe_page)
    check("team: reads the student's words beside her levels", driver, "J’ai conseillé une cliente toute seule." in text(driver))
    driver.find_element(By.ID, "synthese").send_keys("Zoé ose aller vers les clients : bravo.")
    driver.find_element(By.ID, "objectifs").send_keys("Réceptionner une livraison")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/bilan'] button"), "bilan=1")
    check("team: writes the synthesis and the next goals", driver, "Bilan de l’équipe enregistré" in text(driver))

    # The class's progress files, exported from a page that shows how far it got.
    driver.get(BASE + "/exports")
    accessible("exports page", driver)
    no_horizontal_scroll("exports page", driver)
    submit(driver, "/exports/livrets", "/exports/")
    WebDriverWait(driver, 60).until(lambda d: "Export terminé" in text(d) or "abouti" in text(d))
    accessible("finished export", driver)
    archive = download(driver, driver.find_element(By.CSS_SELECTOR, "a[download]").get_attribute("href").replace(BASE, ""))
    check("exports: the class's progress files come as a ZIP", driver, archive[:2] == b"PK", str(archive[:20]))

    # As main teacher (STS-web's PROF_PRINC), she closes the period: the bilans become final.
    driver.get(BASE + "/classes/2CAP-VENTE/periode")
    accessible("class period page", driver)
    no_horizontal_scroll("class period page", driver)
    check("team: where each bilan stands", driver, "1 synthèse écrite sur 2" in text(driver), text(driver)[:400])
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action*='/cloture'] button"), "ok=close")
    check("team: the main teacher closes the period", driver, "Période close" in text(driver) and "Close le" in text(driver))

    activate(driver, "ines.garcia", family_codes["ines.garcia"])
    check("family: follows both children and switches between them", driver,
          "Zoé" in text(driver) and "Élise" in text(driver))
    accessible("family space", driver)
    no_horizontal_scroll("family space", driver)
    # The children are listed by name, Élise first: Zoé is a link away.
    click(driver, driver.find_element(By.CSS_SELECTOR, "nav.children a[href*='enfant=']"), "enfant=")
    check("family: reads the student's words and the team's, final", driver,
          "J’ai conseillé une cliente toute seule." in text(driver) and "Zoé ose aller vers les clients" in text(driver)
          and "Ce bilan est définitif" in text(driver))
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/eleve/bilan/vu'] button"), "ok=vu")
    check("family: says « Vu par la famille », kept with its day", driver, "Vu par la famille : Mme Inés GARCÍA, le" in text(driver))


driver = browser()
try:
    try:
        new_school(driver)
    except Exception:
        check("new school: flow ran to the end", driver, False, traceback.format_exc(limit=3))
finally:
    driver.quit()
sys.exit(1 if failures else 0)
