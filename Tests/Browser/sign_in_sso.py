"""Signing in through the ENT (django-mama-cas) and EduConnect (pysaml2), in headless Chromium,
from Acquis' sign-in page to the account's home, with the first-time link.

Usage: sign_in_sso.py BASE_URL ARTIFACTS_DIR CAS_BASE IDP_BASE PASSWORD
Then each new page at 390 and 1280 px, kept in ARTIFACTS_DIR/screens/WIDTH/sso-*.png.
Prints one `ok`/`FAIL` line per check; exit status 1 when any check failed.
"""
import traceback

from browsing import *  # noqa: F401,F403

CAS, IDP, PASSWORD = sys.argv[3], sys.argv[4], sys.argv[5]


def through(driver, button, login_field, password_field, login, password, name):
    """From Acquis' sign-in page through the provider's form, back to Acquis."""
    driver.delete_all_cookies()
    driver.get(BASE + "/connexion")
    driver.find_element(By.LINK_TEXT, button).click()
    WebDriverWait(driver, 30).until(EC.presence_of_element_located((By.NAME, login_field)))
    check(f"{name}: the provider's own sign-in page", driver, not driver.current_url.startswith(BASE))
    driver.find_element(By.NAME, login_field).send_keys(login)
    driver.find_element(By.NAME, password_field).send_keys(password + Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.url_contains(BASE))


def link(driver, login, home, name):
    WebDriverWait(driver, 30).until(EC.url_contains("/connexion/lier"))
    check(f"{name}: an unknown identity is asked to link its account, in words for its reader", driver,
          "pas encore relié" in text(driver) and "ne crée jamais de compte" in text(driver))
    accessible(f"{name} · link page", driver)
    driver.find_element(By.ID, "identifiant-mdp").send_keys(login)
    driver.find_element(By.ID, "mot_de_passe").send_keys(PASSWORD + Keys.ENTER)
    WebDriverWait(driver, 30).until(EC.url_contains(home))
    check(f"{name}: linked and signed in", driver, driver.find_elements(By.CSS_SELECTOR, "form.who"))


try:
    driver = browser()
    driver.get(BASE + "/connexion")
    check("sign-in page offers the ENT and EduConnect", driver,
          "Se connecter avec l’ENT" in driver.page_source and "Se connecter avec ÉduConnect" in driver.page_source)
    accessible("sign-in page with the ENT and EduConnect", driver)

    through(driver, "Se connecter avec l’ENT", "username", "password", "prof.ent", "secret-ent", "ENT")
    link(driver, "t-lycee", "/enseignant", "ENT")
    through(driver, "Se connecter avec l’ENT", "username", "password", "prof.ent", "secret-ent", "ENT again")
    WebDriverWait(driver, 30).until(EC.url_contains("/enseignant"))
    check("ENT: the second time goes straight to the teacher's home", driver, driver.find_elements(By.CSS_SELECTOR, "form.who"))

    through(driver, "Se connecter avec ÉduConnect", "utilisateur", "mot_de_passe", "lea.martin", "secret-educonnect", "EduConnect")
    link(driver, "t-lea", "/eleve", "EduConnect")
    check("EduConnect: the student sees their own progress", driver, "Léa" in text(driver) or "progr" in text(driver).lower())
    driver.quit()

    # Each new page on a phone and a desktop: screenshots, axe, no sideways scroll.
    for size, phone in ((PHONE, True), (DESKTOP, False)):
        driver = browser(size, phone=phone)
        width = size[0]
        driver.get(BASE + "/connexion")
        look(driver, width, "sso", "sign-in page with the ENT and EduConnect")
        driver.get(BASE + "/connexion/ent/0000000X/retour?ticket=ST-faux")
        look(driver, width, "sso", "refused sign-in")
        through(driver, "Se connecter avec ÉduConnect", "utilisateur", "mot_de_passe", "sans.lettre", "secret-educonnect", "no letter")
        WebDriverWait(driver, 30).until(EC.url_contains("/connexion/lier"))
        look(driver, width, "sso", "link page of a student")
        driver.find_element(By.CSS_SELECTOR, "form[action='/connexion/demande'] button").click()
        WebDriverWait(driver, 30).until(EC.url_contains("/connexion/demande"))
        check(f"no letter at {width} px: the request went to direction", driver, "transmise" in text(driver))
        look(driver, width, "sso", "request sent")
        sign_in(driver, "t-direction", PASSWORD)
        driver.get(BASE + "/direction/connexion")
        check(f"direction at {width} px: the student's request is listed", driver, "demandent à se connecter" in text(driver))
        look(driver, width, "sso", "direction settings")
        driver.quit()
except Exception:
    traceback.print_exc()
    failures.append("exception")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
