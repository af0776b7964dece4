"""The portfolio and PFMP on a phone (390 × 844, touch): the student adds a photo of their
work with the competencies it shows and writes what they learnt; the teacher and the family
then find it; the teacher records levels from it, creates a PFMP, and its tutor records on the
link without an account and reaches nothing else. Every page is kept as a screenshot
(ARTIFACTS_DIR/screens/390/) and passes axe.

Usage: portfolio.py BASE_URL ARTIFACTS_DIR PHOTO TODAY
"""
import sys
import traceback

from browsing import *  # noqa: F401,F403

PHOTO, TODAY = sys.argv[3], sys.argv[4]

driver = browser(PHONE, phone=True)
try:
    sign_in(driver, "eleve", "demo-eleve")
    driver.get(BASE + "/eleve/portfolio")
    look(driver, PHONE[0], "eleve", "portfolio, empty")
    check("student: the empty portfolio invites a first production", driver, "Ton portfolio est encore vide" in text(driver))
    driver.find_element(By.ID, "fichier").send_keys(PHOTO)
    driver.find_element(By.ID, "titre").send_keys("Mise en rayon du rayon frais")
    driver.find_element(By.CSS_SELECTOR, "#contexte option[value=atelier]").click()
    boxes = driver.find_elements(By.CSS_SELECTOR, "fieldset.competency-picks input[type=checkbox]")
    check("student: the competencies of the class are offered", driver, len(boxes) > 3, f"{len(boxes)} boxes")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", boxes[0])
    boxes[0].click()
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"), "ok=ajout")
    check("student: the production is added", driver, "La production est ajoutée" in text(driver))
    picture = driver.find_element(By.CSS_SELECTOR, ".production img")
    width = driver.execute_script("return arguments[0].naturalWidth", picture)
    check("student: its thumbnail shows", driver, width > 0, f"natural width {width}")
    note = driver.find_element(By.CSS_SELECTOR, ".production textarea")
    note.send_keys("J’ai appris à faire tourner les produits : les dates courtes devant.")
    click(driver, note.find_element(By.XPATH, "./ancestor::form//button"), "ok=reflexion")
    look(driver, PHONE[0], "eleve", "portfolio, one photo")
    check("student: the reflection is kept", driver, "les dates courtes devant" in driver.page_source)
    sharing = [d for d in driver.find_elements(By.CSS_SELECTOR, "details.add-production") if "Partager" in d.text][0]
    sharing.find_element(By.TAG_NAME, "summary").click()
    box = sharing.find_element(By.CSS_SELECTOR, "input[name=productions]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    sharing.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input.copy")))
    shared = driver.find_element(By.CSS_SELECTOR, "input.copy").get_attribute("value")
    look(driver, PHONE[0], "eleve", "portfolio, share link")
    driver.get(shared)
    look(driver, PHONE[0], "public", "shared productions")
    check("visitor: the shared production shows, without the student's name", driver,
          "Mise en rayon du rayon frais" in text(driver) and "Léa" not in text(driver))

    sign_in(driver, "enseignant", "demo-enseignant")
    driver.get(BASE + "/enseignant")
    driver.get(BASE + "/classes/2CAP-EPC?referentiel=CAP-EPC")
    found = False
    for link in [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "table.grid tbody th a")]:
        driver.get(link + "/portfolio")
        if "Mise en rayon du rayon frais" in text(driver):
            found = True
            break
    check("teacher: the student's production is in their portfolio, with its author", driver,
          found and "ajoutée par eleve" in text(driver))
    look(driver, PHONE[0], "enseignant", "student's portfolio")
    student_page = driver.current_url.split("/portfolio")[0]
    summary = driver.find_element(By.CSS_SELECTOR, ".production details.evaluate summary")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    driver.find_element(By.CSS_SELECTOR, ".production details.evaluate select option[value=A]").click()
    click(driver, driver.find_element(By.CSS_SELECTOR, ".production details.evaluate button"), "ok=evaluation")
    check("teacher: levels recorded from the production", driver, "avec la production comme preuve" in text(driver))
    driver.get(student_page)
    check("teacher: the evidence history cites the production", driver, "Production « Mise en rayon du rayon frais »" in text(driver))

    driver.get(student_page + "/pfmp")
    look(driver, PHONE[0], "enseignant", "PFMP, none yet")
    driver.find_element(By.ID, "entreprise").send_keys("Boutique Dupont")
    driver.find_element(By.ID, "tuteur").send_keys("Mme Dupont")
    driver.find_element(By.ID, "courriel").send_keys("dupont@boutique.example")
    driver.execute_script("document.getElementById('du').value = arguments[0]; document.getElementById('au').value = arguments[1]",
                          TODAY, TODAY)
    boxes = driver.find_elements(By.CSS_SELECTOR, "fieldset.competency-picks input[type=checkbox]")
    for box in boxes[:2]:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    driver.find_element(By.CSS_SELECTOR, "form[action$='/pfmp'] button[type=submit]").click()
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input.copy")))
    link = driver.find_element(By.CSS_SELECTOR, "input.copy").get_attribute("value")
    look(driver, PHONE[0], "enseignant", "PFMP, link to give")
    check("teacher: the tutor's link is shown once, to copy", driver, "/pfmp/lien/" in link and "Copiez-le maintenant" in text(driver))

    driver.delete_all_cookies()
    driver.get(link)
    look(driver, PHONE[0], "tuteur", "PFMP page")
    check("tutor: plain words, the student's first name only", driver,
          "merci d’accueillir Léa chez Boutique Dupont" in text(driver) and "MARTIN" not in text(driver))
    radios = driver.find_elements(By.CSS_SELECTOR, "fieldset.tutor-item")[0].find_elements(By.CSS_SELECTOR, "label.pick")
    small = small_targets(driver, "fieldset.tutor-item label.pick")
    check("tutor: every choice is at least 44 px high", driver, not small, "; ".join(small[:3]))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radios[-1])
    radios[-1].click()
    driver.find_element(By.ID, "appreciation").send_keys("Léa accueille les clients avec le sourire.")
    click(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"), "ok=1")
    check("tutor: thanked, and sees what was sent", driver,
          "vos observations sont transmises" in text(driver) and "Ce que vous avez déjà transmis" in text(driver))
    driver.get(student_page)
    check("tutor: the student's page is out of reach (sign-in asked)", driver, "/connexion" in driver.current_url)

    sign_in(driver, "enseignant", "demo-enseignant")
    driver.get(student_page + "/pfmp")
    check("teacher: the tutor's observation waits for confirmation, with the appreciation", driver,
          "À confirmer" in text(driver) and "avec le sourire" in text(driver))
    look(driver, PHONE[0], "enseignant", "PFMP, to confirm")

    sign_in(driver, "famille", "demo-famille")
    driver.get(BASE + "/eleve/portfolio")
    check("family: reads the production and what the student wrote", driver,
          "Mise en rayon du rayon frais" in text(driver) and "les dates courtes devant" in text(driver))
    check("family: no form to add", driver, not driver.find_elements(By.ID, "fichier"))
    look(driver, PHONE[0], "famille", "portfolio")
except Exception:
    check("portfolio flow ran to its end", driver, False, traceback.format_exc(limit=4))
finally:
    driver.quit()
sys.exit(1 if failures else 0)
