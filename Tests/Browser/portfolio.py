"""The portfolio on a phone (390 × 844, touch): the student adds a photo of their work with
the competencies it shows and writes what they learnt; the teacher and the family then find
it. Every page is kept as a screenshot (ARTIFACTS_DIR/screens/390/) and passes axe.

Usage: portfolio.py BASE_URL ARTIFACTS_DIR PHOTO
"""
import sys
import traceback

from browsing import *  # noqa: F401,F403

PHOTO = sys.argv[3]

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
