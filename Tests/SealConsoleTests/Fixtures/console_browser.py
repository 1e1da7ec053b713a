"""Drives the SealPress operator console in Debian's headless chromium (Selenium + chromium-driver).

Usage: python3 console_browser.py CONFIG_JSON. Prints one JSON object with what each page showed (DOM text) and
saves screenshots under config["shots"]. The Swift test (ConsoleBrowserTests) asserts on the printed values.
"""
import json
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

cfg = json.loads(sys.argv[1])
base = cfg["base"]
shots = cfg["shots"]

options = webdriver.ChromeOptions()
options.binary_location = cfg.get("chromium", "/usr/bin/chromium")
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                 "--disable-dev-shm-usage", "--lang=zh-CN"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(cfg.get("chromedriver", "/usr/bin/chromedriver")), options=options)
driver.set_page_load_timeout(60)
# A click that submits a form can return before the next page has replaced this one: look for an element for up to
# 30 s before giving up (the next page's element then appears), rather than failing at once.
driver.implicitly_wait(30)
out = {}
worker = None  # started once the batches page has shown the batch before any job ran


def text(by, value):
    # A click that submits a form may return before the next page replaces this one: an element found on the old
    # page goes stale; read it again from the new one.
    for attempt in range(20):
        try:
            return driver.find_element(by, value).text
        except StaleElementReferenceException:
            time.sleep(0.25)
    return driver.find_element(by, value).text


try:
    # Log in.
    driver.get(base + "/console/batches")
    out["redirected_to"] = driver.current_url
    driver.find_element(By.ID, "account").send_keys(cfg["account"])
    driver.find_element(By.ID, "password").send_keys(cfg["password"])
    driver.find_element(By.ID, "login").click()
    out["after_login"] = text(By.TAG_NAME, "h1")

    # A batch's progress while a worker runs: the worker starts once the page has shown the batch untouched, so a
    # loaded machine (a slow page load) cannot skip from nothing seen to all done.
    seen = []
    deadline = time.time() + cfg.get("progress_timeout", 60)
    while time.time() < deadline:
        driver.get(base + "/console/batches")
        row = driver.find_element(By.CSS_SELECTOR, 'tr.batch[data-label="%s"]' % cfg["batch"])
        progress = row.find_element(By.CLASS_NAME, "progress").text
        if not seen or seen[-1] != progress:
            seen.append(progress)
            driver.save_screenshot("%s/batches-%d.png" % (shots, len(seen)))
        if worker is None and cfg.get("worker_argv"):
            worker = subprocess.Popen(cfg["worker_argv"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if progress.split("/")[0] == progress.split("/")[1]:
            break
        time.sleep(0.3)
    out["progress"] = seen
    out["batches_text"] = text(By.ID, "batches")

    # A discarded job: its error history, then retry with confirmation.
    driver.get(base + "/console/jobs/%d" % cfg["discarded_job"])
    out["job_state_before"] = text(By.ID, "state")
    out["job_errors"] = text(By.ID, "errors")
    driver.save_screenshot(shots + "/job-discarded.png")
    driver.find_element(By.ID, "retry").click()
    out["confirm_text"] = text(By.CLASS_NAME, "confirm")
    driver.find_element(By.ID, "confirm").click()
    out["notice"] = text(By.ID, "notice")
    out["job_state_after"] = text(By.ID, "state")
    driver.save_screenshot(shots + "/job-retried.png")

    # Suspend a seal (seal administrator), with confirmation.
    driver.get(base + "/console/seals")
    row = driver.find_element(By.CSS_SELECTOR, 'tr.seal[data-name="%s"]' % cfg["seal"])
    out["seal_name_text"] = row.find_element(By.CLASS_NAME, "seal-name").text
    row.find_element(By.CLASS_NAME, "suspend").click()
    out["seal_confirm"] = text(By.CLASS_NAME, "confirm")
    driver.find_element(By.ID, "confirm").click()
    row = driver.find_element(By.CSS_SELECTOR, 'tr.seal[data-name="%s"]' % cfg["seal"])
    out["seal_state"] = row.find_element(By.CLASS_NAME, "state").text
    driver.save_screenshot(shots + "/seals.png")

    # Upload a tampered PDF and read the report.
    driver.get(base + "/console/verify")
    driver.find_element(By.ID, "document").send_keys(cfg["tampered"])
    driver.find_element(By.ID, "upload").click()
    # The report page (only it carries the console's navigation bar above the report) once verification is done.
    WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CLASS_NAME, "console-nav"))
    out["report_text"] = text(By.TAG_NAME, "body")
    driver.save_screenshot(shots + "/report.png")

    # The overview for the README.
    driver.get(base + "/console/batches")
    driver.save_screenshot(shots + "/console.png")
    out["alerts"] = driver.execute_script("return window.__alerted || null")
finally:
    driver.quit()
    if worker is not None:
        worker.kill()
        worker.wait(timeout=10)

print(json.dumps(out, ensure_ascii=False))
