#!/usr/bin/env python3
"""make chaos: a mixed PDF/OFD stamp-and-verify batch run by three supervised `sealpress worker` processes while
faults are injected on a seeded schedule; afterwards the queue's invariants are checked and printed as a table.

Faults (each kind once per round; rounds and order from --rounds and --seed):
  kill          SIGKILL of a worker holding jobs (the supervisor restarts it; its jobs are rescued)
  pg-restart    `pg_ctl restart -m immediate` of the database (a crash of every backend)
  disk-full     the tablespace holding outputs and the usage log is filled to ENOSPC, held, then freed
  tsa-hang      the local TSA is SIGSTOPped for longer than the job timeout, then SIGCONTed
  signer-hang   the same for the remote signing service: the driver starts `sealpress keys serve` (mutual TLS,
                material made with openssl) holding the SM2 key of a third seal; the `chaos-remote` pipeline,
                part of the mixed batch, signs through it (--signer-pid-file names another service's pid instead)
  worker-stop   a worker (the leader on odd occurrences) is SIGSTOPped until its jobs are rescued: its jobs
                must be rescued while it sleeps and its late results rejected by the fence when it wakes
  clock+90s / clock-90s   a worker slot runs under libfaketime with its wall clock 90 s ahead / behind

Faults run one after the other; the jobs come in bursts, one right before each fault (the driver waits until
workers run some of it), so every fault meets jobs in flight whatever the machine's speed. Exit status: 0 when every invariant holds, 1 when one fails, 2 when the run could not
be set up. Python 3 standard library only; needs psql, pg_ctl, runuser (as root), qpdf and openssl; faketime
optional.
"""
import argparse
import base64
import collections
import glob
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAULT_KINDS = ["kill", "pg-restart", "disk-full", "tsa-hang", "signer-hang", "worker-stop", "clock+90s", "clock-90s"]
FINAL = ("completed", "discarded", "cancelled")
PSQL = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None) or shutil.which("psql") \
    or "psql"


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


class SetupError(Exception):
    pass


class Slot:
    """One supervised worker position: the process running in it now and what it was started as."""

    def __init__(self, index):
        self.index = index
        self.proc = None
        self.generation = 0
        self.name = None
        self.log_path = None
        self.stopped = False      # SIGSTOPped by a fault: the supervisor leaves it alone
        self.replacing = False    # being replaced on purpose (clock fault)
        self.clock = None         # "+90s" etc. while a faketime worker runs here
        self.started_at = 0.0
        self.restart_at = None    # when the supervisor restarts a dead worker (after a short pause)
        self.quick_exits = 0


class Chaos:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(args.bin)
        self.rng = random.Random(args.seed)
        self.home = os.path.abspath(args.home)
        self.run_dir = os.path.join(self.home, "run")
        self.slots = [Slot(i) for i in range(args.workers)]
        self.injected = collections.Counter()
        self.notes = collections.defaultdict(list)
        self.failures = []
        self.worker_exits = collections.Counter()
        self.fence_checks = []     # (worker uuid, [(job, attempt)]) of SIGSTOPped workers
        self.offset_workers = []   # (clock, worker name)
        self.url = None
        self.data_dir = None
        self.tsa = None
        self.signer = None        # the `keys serve` process the driver started
        self.stamp_pipelines = ["business-licence", "customs-declaration", "chaos-timestamped"]
        self.disk = None
        self.env = dict(os.environ)
        for key in ("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD"):
            self.env.pop(key, None)
        self.env["SEALPRESS_HOME"] = self.home
        self.expected_jobs = 0
        self.enqueued = 0
        self.live_at_fault = collections.defaultdict(list)
        self.rescue_seconds = []
        self.session = None

    # MARK: - helpers

    def sp(self, *argv, check=True, timeout=600, env=None, **kw):
        result = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, env=env or self.env, **kw)
        if check and result.returncode != 0:
            raise SetupError(f"{' '.join(argv[:4])} … failed ({result.returncode}): {result.stderr.strip()[-800:]}")
        return result

    def sealpress(self, *argv, check=True, timeout=600):
        return self.sp(self.bin, *argv, check=check, timeout=timeout)

    def psql(self, sql, retries=60):
        """Rows of a query as lists of strings, on one long-lived psql session (a new psql per query costs a
        second on a loaded machine); retried on a new session while the database restarts or its disk is full."""
        last = ""
        for _ in range(retries):
            try:
                return self.session_query(sql)
            except (OSError, ValueError, SetupError) as error:
                last = str(error)
                self.close_session()
                time.sleep(0.5)
        raise SetupError(f"query failed: {last[-400:]}")

    def session_query(self, sql):
        if self.session is None or self.session.poll() is not None:
            self.session = subprocess.Popen(
                [PSQL, "-X", "-At", "-q", "-F", "\t", "-v", "ON_ERROR_STOP=0", "-d", self.url], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env, bufsize=1)
        marker = f"__chaos_end_{time.monotonic_ns()}__"
        self.session.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + marker + "\n")
        self.session.stdin.flush()
        lines = []
        while True:
            line = self.session.stdout.readline()
            if line == "":
                raise SetupError("psql session ended: " + " ".join(lines)[-300:])
            line = line.rstrip("\n")
            if line == marker:
                break
            lines.append(line)
        errors = [l for l in lines if l.startswith(("ERROR:", "FATAL:", "psql:", "server closed", "connection to"))]
        if errors:
            raise SetupError(" ".join(errors)[-300:])
        return [line.split("\t") for line in lines if line != ""]

    def close_session(self):
        if self.session is not None:
            try:
                self.session.kill()
                self.session.wait(timeout=5)
            except Exception:
                pass
            self.session = None

    def scalar(self, sql):
        rows = self.psql(sql)
        return rows[0][0] if rows else None

    def as_postgres(self):
        if os.geteuid() != 0:
            return []
        for runuser in ("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"):
            if os.path.exists(runuser):
                return [runuser, "-u", "postgres", "--"]
        raise SetupError("running as root needs runuser to drive pg_ctl as postgres")

    def pg_ctl(self):
        for candidate in [shutil.which("pg_ctl")] + sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True):
            if candidate and os.path.exists(candidate):
                return candidate
        raise SetupError("pg_ctl not found")

    # MARK: - setup

    def setup(self):
        if os.path.exists(self.home):
            self.teardown_cluster(quiet=True)
            shutil.rmtree(self.home, ignore_errors=True)
        os.makedirs(self.run_dir, exist_ok=True)
        self.sealpress("db", "start")
        status = json.loads(self.sealpress("db", "status", "--json").stdout)
        self.url, self.data_dir = status["url"], status["dataDirectory"]
        self.env["DATABASE_URL"] = self.url  # workers must not start an embedded cluster of their own
        self.sealpress("migrate")
        log(f"PostgreSQL {self.url} (data {self.data_dir})")
        self.setup_pki_and_seals()
        self.start_tsa()
        if not self.args.signer_pid_file and "signer-hang" not in self.args.skip:
            self.start_signer()
        self.write_pipelines()
        self.setup_disk()
        self.prepare_documents()

    def setup_pki_and_seals(self):
        pki = os.path.join(self.home, "pki")
        self.pki = pki
        self.sealpress("keys", "demo-pki", "--out", pki)
        picture = os.path.join(ROOT, "Tests/SealPipelineTests/Fixtures/seal-400.png")
        keyref = f"file:{pki}/sm2-signer.key.pem?cert={pki}/sm2-signer.cert.pem"
        for name, label, esid in (("demo-bureau-official", "演示市市场监督管理局", "DEMO-BUREAU-0001"),
                                  ("demo-customs-declaration", "演示海关报关专用章", "DEMO-CUSTOMS-0001")):
            esl = os.path.join(self.home, f"{name}.esl")
            self.sealpress("seal", "make", "--name", label, "--type", "1", "--esid", esid, "--picture", picture,
                           "--width-mm", "40", "--height-mm", "40", "--signer-cert", f"{pki}/sm2-signer.cert.pem",
                           "--maker-key", f"{pki}/seal-maker.key.pem", "--maker-cert", f"{pki}/seal-maker.cert.pem",
                           "--valid-from", "2025-01-01", "--valid-to", "2030-12-31", "--out", esl)
            self.sealpress("seal", "register", "--name", name, "--esl", esl, "--key-ref", keyref, "--owner", label,
                           "--credit-code", "11100000000000000X")
            self.sealpress("seal", "grant", name, "--principal", "chaos-office", "--to", "2030-12-31")

    def start_tsa(self):
        log_path = os.path.join(self.run_dir, "tsa.log")
        out = open(log_path, "w")
        self.tsa = subprocess.Popen([self.bin, "tsa", "serve", "--port", "0", "--key", f"{self.pki}/tsa.key.pem",
                                     "--cert", f"{self.pki}/tsa.cert.pem"], stdout=out, stderr=subprocess.STDOUT,
                                    env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = open(log_path).read()
            if "listening on " in text:
                self.tsa_url = text.split("listening on ", 1)[1].split()[0]
                log(f"TSA {self.tsa_url} (pid {self.tsa.pid})")
                return
            if self.tsa.poll() is not None:
                break
            time.sleep(0.2)
        raise SetupError(f"the local TSA did not start: {open(log_path).read()[-400:]}")

    def start_signer(self):
        """`sealpress keys serve` on a free port over mutual TLS, holding the SM2 signer key as `chaos-sm2`, and a
        third seal registered with the key reference sealpress+https://127.0.0.1:PORT/keys/chaos-sm2 (the seal's
        certificate is the one the service describes). The workers reach it with a client certificate."""
        tls = os.path.join(self.home, "signer-tls")
        os.makedirs(tls, exist_ok=True)

        # Made a day in the past (under faketime, which the clock faults need anyway): certificates valid only from
        # now are "not yet valid" to the clock-90s worker, whose every TLS handshake then fails (seen in a run).
        backdate = ["faketime", "-f", "-1d"] if shutil.which("faketime") else []

        def openssl(*argv):
            self.sp(*backdate, "openssl", *argv, cwd=tls)

        def leaf(name, cn, ca, extensions):
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", f"{name}.key")
            openssl("req", "-new", "-key", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}")
            with open(os.path.join(tls, f"{name}.ext"), "w") as f:
                f.write(extensions)
            openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
                    "-out", f"{name}.pem", "-days", "3", "-extfile", f"{name}.ext")

        for name, cn in (("service-ca", "Chaos Signing Service CA"), ("client-ca", "Chaos Client CA")):
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    f"{name}.key", "-out", f"{name}.pem", "-subj", f"/CN={cn}", "-days", "3")
        leaf("server", "localhost", "service-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        leaf("worker", "chaos-worker", "client-ca", "extendedKeyUsage=clientAuth\n")
        keys = os.path.join(tls, "keys.json")
        with open(keys, "w") as f:
            json.dump({"keys": {"chaos-sm2": f"file:{self.pki}/sm2-signer.key.pem?cert={self.pki}/sm2-signer.cert.pem"},
                       "clients": [{"subject-cn": "chaos-worker", "keys": ["chaos-sm2"]}]}, f)
        log_path = os.path.join(self.run_dir, "signer.log")
        out = open(log_path, "w")
        self.signer = subprocess.Popen(
            [self.bin, "keys", "serve", "--listen", "127.0.0.1:0", "--tls-cert", f"{tls}/server.pem", "--tls-key",
             f"{tls}/server.key", "--client-ca", f"{tls}/client-ca.pem", "--keys", keys,
             "--log", os.path.join(self.run_dir, "signer-requests.log")],
            stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        out.close()
        deadline, port = time.monotonic() + 60, None
        while time.monotonic() < deadline and port is None:
            text = open(log_path).read()
            if "listening on " in text:
                port = text.split("listening on ", 1)[1].split()[0].rsplit(":", 1)[1]
            elif self.signer.poll() is not None:
                break
            else:
                time.sleep(0.2)
        if port is None:
            raise SetupError(f"the remote signer did not start: {open(log_path).read()[-400:]}")
        self.args.signer_pid_file = os.path.join(self.run_dir, "signer.pid")
        with open(self.args.signer_pid_file, "w") as f:
            f.write(f"{self.signer.pid}\n")
        self.args.signer_pipeline = self.args.signer_pipeline or "chaos-remote"
        reference = (f"sealpress+https://127.0.0.1:{port}/keys/chaos-sm2?client-cert={tls}/worker.pem"
                     f"&client-key={tls}/worker.key&ca={tls}/service-ca.pem")
        # A seal of its own (a registry takes each seal once), made for the same SM2 signer certificate.
        esl = os.path.join(self.home, "demo-remote-official.esl")
        picture = os.path.join(ROOT, "Tests/SealPipelineTests/Fixtures/seal-400.png")
        pki = self.pki
        self.sealpress("seal", "make", "--name", "演示市远程签章专用章", "--type", "1", "--esid", "DEMO-REMOTE-0001",
                       "--picture", picture, "--width-mm", "40", "--height-mm", "40", "--signer-cert",
                       f"{pki}/sm2-signer.cert.pem", "--maker-key", f"{pki}/seal-maker.key.pem", "--maker-cert",
                       f"{pki}/seal-maker.cert.pem", "--valid-from", "2025-01-01", "--valid-to", "2030-12-31",
                       "--out", esl)
        self.sealpress("seal", "register", "--name", "demo-remote-official", "--esl", esl, "--key-ref", reference,
                       "--owner", "演示市远程签章专用章", "--credit-code", "11100000000000000X")
        self.sealpress("seal", "grant", "demo-remote-official", "--principal", "chaos-office", "--to", "2030-12-31")
        self.stamp_pipelines.append("chaos-remote")
        log(f"remote signer https://127.0.0.1:{port} (pid {self.signer.pid}), seal demo-remote-official")

    def write_pipelines(self):
        self.pipelines = os.path.join(self.home, "pipelines")
        os.makedirs(self.pipelines, exist_ok=True)
        self.env["SEALPRESS_PIPELINES"] = self.pipelines
        for name in ("business-licence.yaml", "customs-declaration.yaml"):
            shutil.copy(os.path.join(ROOT, "Pipelines", name), self.pipelines)
        # Time-stamped signatures: every job of this pipeline needs the TSA, so the TSA fault bites.
        with open(os.path.join(self.pipelines, "chaos-timestamped.yaml"), "w") as f:
            f.write(f"""# chaos suite: PAdES-B-T / SES with a time-stamp from the local TSA
name: chaos-timestamped
description: Licences with a time-stamped signature (chaos suite)
seal: demo-bureau-official
placements:
  - page: last
    x_mm: 135
    y_mm: 30
    width_mm: 40
formats:
  pdf: pades-b-t
  ofd: ses
tsa: {self.tsa_url}
verify_after_signing: true
reason: chaos suite
""")
        if self.signer is not None:
            # The same seal picture and certificate, its key in the remote signing service.
            with open(os.path.join(self.pipelines, "chaos-remote.yaml"), "w") as f:
                f.write("""# chaos suite: PAdES-B-B / SES signed by the remote signing service (keys serve)
name: chaos-remote
description: Licences signed through the remote signing service (chaos suite)
seal: demo-remote-official
placements:
  - page: last
    x_mm: 135
    y_mm: 30
    width_mm: 40
formats:
  pdf: pades-b-b
  ofd: ses
verify_after_signing: true
reason: chaos suite
""")

    # MARK: - disk

    def setup_disk(self):
        """A size-limited filesystem for a tablespace holding outputs and the usage log."""
        # Beside the data directory: a place the postgres account can always reach (the home may not be).
        mount = self.tablespace_mount()
        os.makedirs(mount, exist_ok=True)
        size_mb = self.args.disk_mb
        kind = None
        if os.geteuid() == 0 and shutil.which("mkfs.ext4"):
            image = os.path.join(self.home, "tablespace.img")
            try:
                with open(image, "wb") as f:
                    f.truncate(size_mb * 1024 * 1024)
                self.sp("mkfs.ext4", "-q", "-F", "-m", "0", image)
                self.sp("mount", "-o", "loop", image, mount)
                kind = f"loop-mounted ext4 image, {size_mb} MB"
            except (SetupError, OSError) as error:
                self.notes["disk"].append(f"loop mount failed: {error}")
        if kind is None and os.geteuid() == 0:
            try:
                self.sp("mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", mount)
                kind = f"tmpfs size={size_mb}m"
            except SetupError as error:
                self.notes["disk"].append(f"tmpfs mount failed: {error}")
        if kind is None:
            kind = "fallback: plain directory, filled by a file until the real disk's free space is 0 is NOT done; " \
                   "the fault revokes write permission instead (EACCES, not ENOSPC)"
        self.disk = {"kind": kind, "mount": mount, "mounted": not kind.startswith("fallback")}
        location = os.path.join(mount, "pg")
        os.makedirs(location, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(location, "postgres", "postgres")
        os.chmod(location, 0o700)
        self.psql(f"CREATE TABLESPACE chaos_small LOCATION '{location}'")
        self.psql("ALTER TABLE sealpress.outputs SET TABLESPACE chaos_small; "
                  "ALTER TABLE sealpress.usage_log SET TABLESPACE chaos_small; "
                  "ALTER INDEX sealpress.outputs_pkey SET TABLESPACE chaos_small")
        log(f"tablespace chaos_small for outputs and usage_log: {kind}")

    def tablespace_mount(self, data_dir=None):
        data_dir = data_dir or self.data_dir
        if not data_dir:
            return os.path.join(self.home, "tablespace-fs")
        return os.path.join(os.path.dirname(data_dir), "chaos-tablespace")

    def fill_disk(self):
        filler = os.path.join(self.disk["mount"], "filler")
        if not self.disk["mounted"]:
            os.chmod(os.path.join(self.disk["mount"], "pg"), 0o000)
            return filler
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 20, 1 << 12):  # megabytes, then the last few kilobytes
                block = b"\0" * size
                try:
                    while True:
                        os.write(fd, block)
                except OSError:
                    pass
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
        return filler

    def free_disk(self, filler):
        if not self.disk["mounted"]:
            os.chmod(os.path.join(self.disk["mount"], "pg"), 0o700)
            return
        try:
            os.remove(filler)
        except FileNotFoundError:
            pass

    # MARK: - documents and jobs

    def prepare_documents(self):
        docs = os.path.join(self.home, "documents")
        # Distinct documents: generated PDFs and OFDs of a few shapes. A batch takes each document once (its
        # idempotency key is the batch label plus the SHA-256), so every chunk the feeder sends is its own batch.
        for label, pdf, ofd, pages in (("a", 12, 3, 1), ("b", 12, 3, 2)):
            self.sealpress("pipeline", "samples", "--out", os.path.join(docs, label), "--pdf", str(pdf), "--ofd",
                           str(ofd), "--pages", str(pages))
        shutil.copy(os.path.join(ROOT, "Tests/SealPipelineTests/Fixtures/helloworld.ofd"), os.path.join(docs, "a"))
        # A poison document: a PDF cut short. Its jobs must be discarded (malformedInput), not retried forever.
        poison_dir = os.path.join(docs, "poison")
        os.makedirs(poison_dir, exist_ok=True)
        first_pdf = sorted(glob.glob(os.path.join(docs, "a", "*.pdf")))[0]
        data = open(first_pdf, "rb").read()
        self.poison = os.path.join(poison_dir, "truncated.pdf")
        open(self.poison, "wb").write(data[: len(data) // 2])
        self.distinct, seen = [], set()
        for path in sorted(glob.glob(os.path.join(docs, "[ab]", "*"))):
            digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
            if digest not in seen:
                seen.add(digest)
                self.distinct.append(path)
        self.batches = []
        self.enqueued = 0
        log(f"{len(self.distinct)} distinct documents (PDF and OFD) + a truncated PDF")

    def enqueue_chunk(self, count, pipeline=None):
        """One batch of up to `count` jobs: stamp with one of three pipelines, or (every 7th batch) verify."""
        index = len(self.batches)
        label = f"chaos-{index:05d}"
        kind = "verify" if index % 7 == 6 and pipeline is None else "stamp"
        offset = (index * 7) % len(self.distinct)
        rotated = self.distinct[offset:] + self.distinct[:offset]
        files = rotated[: min(len(rotated), count)]
        if kind == "stamp" and index % 5 == 1 and len(files) > 1:
            files = files[:-1] + [self.poison]
        if kind == "stamp":
            pipeline = pipeline or self.stamp_pipelines[index % len(self.stamp_pipelines)]
            argv = ["enqueue", "stamp", "--pipeline", pipeline, "--principal", "chaos-office"]
        else:
            argv = ["enqueue", "verify"]
        self.sealpress(*argv, "--batch", label, "--max-attempts", str(self.args.max_attempts), *files)
        self.batches.append(label)
        self.enqueued += len(files)

    def feed(self, count, pipeline=None):
        """Enqueues `count` more jobs (never more than --jobs in all), in batches of distinct documents."""
        target = min(self.args.jobs, self.enqueued + count)
        while self.enqueued < target:
            self.enqueue_chunk(min(len(self.distinct), target - self.enqueued), pipeline)

    def error_count(self, codes):
        listed = ", ".join(f"'{c}'" for c in codes)
        return int(self.scalar("SELECT count(*) FROM sealpress.jobs, jsonb_array_elements(errors) e "
                               f"WHERE e->>'code' IN ({listed})") or 0)

    def running_now(self):
        return int(self.scalar("SELECT count(*) FROM sealpress.jobs WHERE state = 'running'") or 0)

    def burst(self, kind, pipeline=None):
        """A burst of jobs, then wait (briefly) until workers run some: the fault that follows meets them."""
        self.feed(self.burst_size, pipeline)
        give_up = time.monotonic() + 5
        while True:
            running = self.running_now()
            if running > 0 or time.monotonic() > give_up:
                break
            yield 0.05
        self.live_at_fault[kind].append(running)

    # MARK: - workers

    def worker_argv(self, slot):
        a = self.args
        return [self.bin, "worker", "--id", slot.name, "--concurrency", str(a.concurrency), "--trust",
                f"{self.pki}/roots.pem", "--pipelines", self.pipelines, "--heartbeat-seconds", "1",
                "--rescue-after-seconds", str(a.rescue_after), "--job-timeout", f"{a.job_timeout}s",
                "--backoff-base", "1s", "--backoff-max", "8s", "--poll-seconds", "1", "--grace-seconds", "5",
                "--log-format", "json", "--log-level", "info"]

    def start_worker(self, slot, clock=None):
        slot.generation += 1
        slot.name = f"chaos-w{slot.index + 1}-{slot.generation}" + (f"-clock{clock}" if clock else "")
        slot.log_path = os.path.join(self.run_dir, f"{slot.name}.log")
        env = dict(self.env)
        argv = self.worker_argv(slot)
        if clock:
            # The faketime wrapper (a bare LD_PRELOAD of libfaketime loses a Swift program's arguments); only the
            # wall clock moves, so Dispatch's monotonic timers stay sane. Signals go to the process group.
            argv = ["faketime", "-f", clock] + argv
            env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        out = open(slot.log_path, "w")
        slot.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        out.close()
        slot.clock = clock
        slot.stopped = False
        slot.replacing = False
        slot.started_at = time.monotonic()
        slot.restart_at = None

    def supervise(self):
        for slot in self.slots:
            if slot.proc is None or slot.stopped or slot.replacing:
                continue
            code = slot.proc.poll()
            if code is None:
                continue
            if slot.restart_at is None:
                self.worker_exits["SIGKILL" if code == -9 else f"exit {code}"] += 1
                if code not in (-9, 0):
                    self.notes["workers"].append(f"{slot.name} exited with {code}: " + tail(slot.log_path))
                # A worker that dies right after starting, again and again, will not get better: stop the run.
                quick = time.monotonic() - slot.started_at < 5 and code != -9
                slot.quick_exits = slot.quick_exits + 1 if quick else 0
                if slot.quick_exits >= 4:
                    raise SetupError(f"worker slot {slot.index + 1} keeps exiting at start: {tail(slot.log_path)}")
                slot.restart_at = time.monotonic() + 0.5 * (1 + slot.quick_exits)
            if time.monotonic() >= slot.restart_at:
                self.start_worker(slot)

    def worker_uuid(self, slot):
        for _ in range(100):
            value = self.scalar(f"SELECT id FROM sealpress.workers WHERE name = '{slot.name}' "
                                "ORDER BY started_at DESC LIMIT 1")
            if value:
                return value
            time.sleep(0.2)
        return None

    def leader_slot(self):
        """The live slot whose session holds the leader lock (the leader's worker logged it last)."""
        best, best_line = None, ""
        for slot in self.slots:
            if slot.proc is None or slot.proc.poll() is not None:
                continue
            for line in open(slot.log_path, errors="replace"):
                if "became leader" in line:
                    stamp = line[:40]
                    if stamp >= best_line:
                        best, best_line = slot, stamp
        return best

    # MARK: - progress

    def progress(self):
        rows = self.psql("SELECT state, count(*) FROM sealpress.jobs GROUP BY state")
        counts = {state: int(count) for state, count in rows}
        return counts, sum(counts.get(s, 0) for s in FINAL)

    # MARK: - faults (generators yielding seconds to wait; the supervisor keeps running meanwhile)

    def schedule(self):
        kinds = [k for k in FAULT_KINDS if k not in self.args.skip]
        plan = []
        for _ in range(self.args.rounds):
            round_ = kinds[:]
            self.rng.shuffle(round_)
            plan += round_
        # Extra SIGKILLs between the others ("repeatedly").
        spaced = []
        for index, kind in enumerate(plan):
            spaced.append(kind)
            if kind != "kill" and index % 2 == 1 and "kill" in kinds:
                spaced.append("kill")
        return spaced

    def live_slots(self):
        return [s for s in self.slots if s.proc and s.proc.poll() is None and not s.stopped and not s.replacing]

    def fault_kill(self):
        yield from self.burst("kill")
        slots = self.live_slots()
        if not slots:
            return
        busy = [s for s in slots if int(self.scalar(
            "SELECT count(*) FROM sealpress.jobs j JOIN sealpress.workers w ON w.id = j.locked_by "
            f"WHERE j.state = 'running' AND w.name = '{s.name}'") or 0) > 0]
        slot = self.rng.choice(busy or slots)
        os.killpg(slot.proc.pid, signal.SIGKILL)
        self.injected["kill"] += 1
        self.notes["kill"].append(slot.name)
        yield 1.0

    def fault_pg_restart(self):
        yield from self.burst("pg-restart")
        t0 = time.monotonic()
        pg_log = os.path.join(self.run_dir, "postgres-restarted.log")
        if not os.path.exists(pg_log):
            open(pg_log, "w").close()
            if os.geteuid() == 0:
                shutil.chown(pg_log, "postgres", "postgres")
        before = count_in_logs(self.run_dir, ("database connection lost",))
        result = self.sp(*self.as_postgres(), self.pg_ctl(), "restart", "-m", "immediate", "-D", self.data_dir,
                         "-w", "-t", "120", "-l", pg_log, check=False, timeout=300)
        if result.returncode != 0:
            self.failures.append(f"pg_ctl restart -m immediate failed: {result.stderr.strip()[-300:]}")
            return
        self.injected["pg-restart"] += 1
        yield 3.0
        lost = count_in_logs(self.run_dir, ("database connection lost",)) - before
        self.notes["pg-restart"].append(f"back after {time.monotonic() - t0 - 3:.1f} s; {lost} worker log lines "
                                        "reported the lost connection")

    def fault_disk_full(self):
        # Full first, then the burst: its completions (outputs and usage rows) meet the full tablespace.
        before = count_in_logs(self.run_dir, ("No space left", "could not extend", "53100"))
        filler = self.fill_disk()
        self.injected["disk-full"] += 1
        yield from self.burst("disk-full")
        yield self.args.disk_hold
        self.free_disk(filler)
        after = count_in_logs(self.run_dir, ("No space left", "could not extend", "53100"))
        self.notes["disk-full"].append(f"{after - before} worker log lines reported the full disk")
        yield 1.0

    def fault_tsa_hang(self):
        before = self.error_count(("timeout", "tsaUnavailable"))
        os.kill(self.tsa.pid, signal.SIGSTOP)
        self.injected["tsa-hang"] += 1
        self.feed(self.burst_size // 2)  # jobs of all pipelines, and time-stamped ones the hang catches
        yield from self.burst("tsa-hang", "chaos-timestamped")
        yield self.args.job_timeout + self.args.hang_extra
        os.kill(self.tsa.pid, signal.SIGCONT)
        yield 1.0
        self.notes["tsa-hang"].append(f"{self.error_count(('timeout', 'tsaUnavailable')) - before} attempts failed "
                                      "with timeout/tsaUnavailable and were retried")

    def fault_signer_hang(self):
        """The remote signing service (the one started in set-up, or the pid in --signer-pid-file) is SIGSTOPped
        for the job timeout + --hang-extra while jobs of its pipeline run, then SIGCONTed."""
        path = self.args.signer_pid_file
        if not path or not os.path.exists(path):
            self.notes["signer-hang"].append("not run: no remote signer (--signer-pid-file)")
            return
        codes = ("timeout", "keyUnavailable", "signingFailed")
        before = self.error_count(codes)
        pid = int(open(path).read().split()[0])
        os.kill(pid, signal.SIGSTOP)
        self.injected["signer-hang"] += 1
        self.feed(self.burst_size // 2)
        yield from self.burst("signer-hang", self.args.signer_pipeline)
        yield self.args.job_timeout + self.args.hang_extra
        os.kill(pid, signal.SIGCONT)
        yield 1.0
        self.notes["signer-hang"].append(f"{self.error_count(codes) - before} attempts failed with "
                                          "timeout/keyUnavailable/signingFailed and were retried")

    def fault_worker_stop(self):
        occurrence = sum(1 for k in self.notes["worker-stop"])
        yield from self.burst("worker-stop")
        leader = self.leader_slot()
        candidates = self.live_slots()
        if not candidates:
            return
        busy = [s for s in candidates if int(self.scalar(
            "SELECT count(*) FROM sealpress.jobs j JOIN sealpress.workers w ON w.id = j.locked_by "
            f"WHERE j.state = 'running' AND w.name = '{s.name}'") or 0) > 0] or candidates
        slot = leader if (occurrence % 2 == 0 and leader in candidates) else self.rng.choice(busy)
        is_leader = slot is leader
        uuid = self.worker_uuid(slot)
        os.killpg(slot.proc.pid, signal.SIGSTOP)
        slot.stopped = True
        stopped_at = time.monotonic()
        # A completion the worker sent just before the stop may still be committing on the server (results go out
        # as one pipelined transaction): it is a result from before the stop, not a late one. Let such statements
        # finish before the jobs still held are read (the rescue window is far longer than this second).
        yield 1.0
        held = [(int(j), int(a)) for j, a in self.psql(
            f"SELECT id, attempt FROM sealpress.jobs WHERE state = 'running' AND locked_by = '{uuid}'")]
        self.injected["worker-stop"] += 1
        # Longer than the rescue window: the heartbeat must age past --rescue-after-seconds, then the rescuer
        # (every rescue-after / 3 s) returns the jobs. Stopped at least 2 × rescue-after, at most 4 × + 10 s.
        yield 2 * self.args.rescue_after
        rescued_after = None
        while True:
            still_held = int(self.scalar("SELECT count(*) FROM sealpress.jobs j JOIN unnest("
                                         f"ARRAY[{','.join(str(j) for j, _ in held) or 'NULL'}]::bigint[], "
                                         f"ARRAY[{','.join(str(a) for _, a in held) or 'NULL'}]::int[]) AS h(id, a) "
                                         "ON h.id = j.id AND h.a = j.attempt "
                                         f"WHERE j.state = 'running' AND j.locked_by = '{uuid}'") or 0)
            if still_held == 0:
                rescued_after = time.monotonic() - stopped_at
                break
            if time.monotonic() - stopped_at > 4 * self.args.rescue_after + 10:
                break
            yield 0.5
        if rescued_after is not None:
            self.rescue_seconds.append(rescued_after)
        if still_held:
            sessions = self.psql("SELECT coalesce(application_name, ''), state, coalesce(wait_event_type, ''), "
                                 "coalesce(wait_event, ''), left(regexp_replace(query, '\\s+', ' ', 'g'), 70), "
                                 "round(extract(epoch FROM now() - state_change)::numeric, 1) "
                                 "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            self.notes["worker-stop-sessions"].append(f"{slot.name}: " + " | ".join(" ".join(r) for r in sessions))
            heartbeat = self.scalar(f"SELECT round(extract(epoch FROM now() - heartbeat_at)::numeric, 1) "
                                    f"FROM sealpress.workers WHERE id = '{uuid}'")
            self.notes["worker-stop-sessions"].append(f"{slot.name}: heartbeat age {heartbeat} s")
        self.fence_checks.append({"worker": slot.name, "uuid": uuid, "leader": is_leader, "held": held,
                                  "still_running_at_wake": still_held, "log": slot.log_path})
        self.notes["worker-stop"].append(
            f"{slot.name}{' (leader)' if is_leader else ''}: {len(held)} jobs held, "
            + (f"rescued {rescued_after:.1f} s after the stop" if rescued_after is not None
               else f"{still_held} still running under it after {time.monotonic() - stopped_at:.0f} s"))
        os.killpg(slot.proc.pid, signal.SIGCONT)
        slot.stopped = False
        yield 5.0

    def fault_clock(self, clock):
        if not shutil.which("faketime"):
            self.notes[f"clock{clock}"].append("not run: libfaketime not installed (apt-get install faketime)")
            if os.environ.get("SEALPRESS_REQUIRE_PEERS") == "1":
                self.failures.append("faketime is missing but SEALPRESS_REQUIRE_PEERS=1 (CI) requires it")
            return
        candidates = self.live_slots()
        if not candidates:
            return
        slot = self.rng.choice(candidates)
        slot.replacing = True
        os.killpg(slot.proc.pid, signal.SIGTERM)
        try:
            slot.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            slot.proc.kill()
            slot.proc.wait()
        self.start_worker(slot, clock=clock)
        uuid = self.worker_uuid(slot)  # registered: it is up
        yield from self.burst(f"clock{clock}")
        self.injected[f"clock{clock}"] += 1
        self.offset_workers.append((clock, slot.name, uuid))
        yield self.args.clock_hold
        if slot.clock == clock and slot.proc.poll() is None and not slot.stopped:
            slot.replacing = True
            os.killpg(slot.proc.pid, signal.SIGTERM)
            for _ in range(300):
                if slot.proc.poll() is not None:
                    break
                yield 0.1
            if slot.proc.poll() is None:
                slot.proc.kill()
                slot.proc.wait()
            self.start_worker(slot)

    def fault(self, kind):
        return {"kill": self.fault_kill, "pg-restart": self.fault_pg_restart, "disk-full": self.fault_disk_full,
                "tsa-hang": self.fault_tsa_hang, "signer-hang": self.fault_signer_hang,
                "worker-stop": self.fault_worker_stop, "clock+90s": lambda: self.fault_clock("+90s"),
                "clock-90s": lambda: self.fault_clock("-90s")}[kind]()

    # MARK: - run

    def run(self):
        plan = self.schedule()
        self.fault_plan = plan
        # The jobs come in bursts, one right before each fault, so that every fault meets jobs in flight whatever
        # the machine's speed; the rest after the last fault.
        burst = self.burst_size = max(1, (self.args.jobs - self.args.initial) // (len(plan) + 1))
        self.feed(self.args.initial)
        for slot in self.slots:
            self.start_worker(slot)
        log(f"{len(self.slots)} workers started; fault plan (seed {self.args.seed}, a burst of {burst} jobs before "
            f"each): {', '.join(plan)}")
        t0 = time.monotonic()
        current, resume_at, next_index, next_start = None, 0.0, 0, t0 + 3
        deadline = t0 + self.args.timeout
        last_report, last_check = 0.0, 0.0
        finished, counts = 0, {}
        while True:
            now = time.monotonic()
            self.supervise()
            if now - last_check >= 0.5:
                try:
                    counts, finished = self.progress()
                except SetupError:
                    pass
                last_check = now
            if current is not None and now >= resume_at:
                try:
                    delay = next(current)  # may take a while (a burst's enqueue): the wait starts after it
                    resume_at = time.monotonic() + delay
                except StopIteration:
                    current = None
                    next_start = time.monotonic() + self.args.gap
            if current is None and next_index < len(plan) and now >= next_start:
                kind = plan[next_index]
                log(f"fault {next_index + 1}/{len(plan)}: {kind} ({finished}/{self.enqueued} finished)")
                current = self.fault(kind)
                resume_at = now
                next_index += 1
                continue
            if current is None and next_index >= len(plan):
                self.feed(self.args.jobs)
                if finished >= self.enqueued:
                    break
            if now > deadline:
                self.failures.append(f"timeout: {finished}/{self.enqueued} jobs final after {self.args.timeout} s "
                                     f"(states {counts}); faults injected {next_index}/{len(plan)}")
                break
            if now - last_report >= 10:
                log(f"progress: {finished}/{self.enqueued} final, states {counts}")
                last_report = now
            time.sleep(0.1)
        self.elapsed = time.monotonic() - t0
        self.expected_jobs = self.enqueued
        self.stop_workers()

    def stop_workers(self):
        for slot in self.slots:
            if slot.proc and slot.proc.poll() is None:
                if slot.stopped:
                    os.killpg(slot.proc.pid, signal.SIGCONT)
                slot.replacing = True
                os.killpg(slot.proc.pid, signal.SIGTERM)
        for slot in self.slots:
            if slot.proc:
                try:
                    slot.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    slot.proc.kill()
                    slot.proc.wait()

    # MARK: - invariants

    def check(self):
        rows = []

        def expect(name, value, ok, detail=""):
            rows.append((name, value, "ok" if ok else "FAIL", detail))
            if not ok:
                self.failures.append(f"{name}: {value} {detail}".strip())

        counts = {s: int(c) for s, c in self.psql("SELECT state, count(*) FROM sealpress.jobs GROUP BY state")}
        total = sum(counts.values())
        expect("jobs", total, total == self.expected_jobs, f"(enqueued {self.expected_jobs})")
        expect("completed", counts.get("completed", 0), True)
        discarded = self.psql("SELECT coalesce(last_error_code, '?'), count(*) FROM sealpress.jobs "
                              "WHERE state = 'discarded' GROUP BY 1 ORDER BY 2 DESC")
        poison = int(self.scalar("SELECT count(*) FROM sealpress.jobs j JOIN sealpress.documents d "
                                 "ON d.id = j.document_id WHERE d.name = 'truncated.pdf'"))
        for code, count in discarded:
            expected_code = code == "malformedInput"
            expect(f"discarded: {code}", int(count), expected_code,
                   "(the truncated PDFs)" if expected_code else "(a fault exhausted the attempts)")
        expect("discarded: truncated PDFs", poison,
               int(self.scalar("SELECT count(*) FROM sealpress.jobs j JOIN sealpress.documents d ON d.id = "
                               "j.document_id WHERE d.name = 'truncated.pdf' AND j.state = 'discarded' "
                               "AND j.last_error_code = 'malformedInput'")) == poison,
               "(every poison job discarded as malformedInput)")
        expect("cancelled", counts.get("cancelled", 0), counts.get("cancelled", 0) == 0)
        stuck = counts.get("running", 0)
        expect("stuck running", stuck, stuck == 0)
        lost = total - sum(counts.get(s, 0) for s in FINAL) + (self.expected_jobs - total if total < self.expected_jobs
                                                               else 0)
        expect("lost (not final)", lost, lost == 0)
        no_output = int(self.scalar("SELECT count(*) FROM sealpress.jobs j WHERE state = 'completed' AND NOT EXISTS "
                                    "(SELECT 1 FROM sealpress.outputs o WHERE o.job_id = j.id)"))
        expect("completed without output", no_output, no_output == 0)
        stray = int(self.scalar("SELECT count(*) FROM sealpress.outputs o JOIN sealpress.jobs j ON j.id = o.job_id "
                                "WHERE j.state <> 'completed' OR o.attempt <> j.attempt OR o.worker_id <> j.locked_by"))
        expect("outputs not from the final attempt", stray, stray == 0)
        dup_usage = self.scalar("""
            SELECT count(*) FROM sealpress.jobs j JOIN sealpress.outputs o ON o.job_id = j.id
             WHERE j.kind = 'stamp' AND (SELECT count(*) FROM sealpress.usage_log u WHERE u.job_id = j.id)
                   <> jsonb_array_length(o.report -> 'signatures')""")
        expect("duplicates: usage rows != signatures", int(dup_usage), int(dup_usage) == 0)
        orphan_usage = int(self.scalar("SELECT count(*) FROM sealpress.usage_log u WHERE NOT EXISTS (SELECT 1 FROM "
                                       "sealpress.jobs j WHERE j.id = u.job_id AND j.state = 'completed')"))
        expect("usage rows of jobs not completed", orphan_usage, orphan_usage == 0)
        chained = int(self.scalar("""
            SELECT count(*) FROM sealpress.outputs o JOIN sealpress.jobs j ON j.id = o.job_id
             WHERE j.kind = 'stamp' AND encode(o.sha256, 'hex') <> (SELECT u.document_after FROM sealpress.usage_log u
                   WHERE u.job_id = j.id ORDER BY u.sequence DESC LIMIT 1)"""))
        expect("output != last usage row's document", chained, chained == 0)
        # An output that extends its input stores only the appended bytes (queue migration 6): hash the whole one.
        torn = int(self.scalar("SELECT count(*) FROM sealpress.outputs WHERE bytes IS NOT NULL AND "
                               "sha256(sealpress.output_bytes(job_id)) IS DISTINCT FROM sha256"))
        expect("half-written outputs (SHA-256)", torn, torn == 0)
        usage_rows = int(self.scalar("SELECT count(*) FROM sealpress.usage_log"))
        expect("usage rows (signatures)", usage_rows, True)
        if self.signer is not None or self.args.signer_pipeline:
            remote = self.psql(f"""
                SELECT count(*), count(*) FILTER (WHERE state = 'completed') FROM sealpress.jobs
                 WHERE kind = 'stamp' AND args->>'pipeline' = '{self.args.signer_pipeline}'""")[0]
            expect("completed through the remote signer", int(remote[1]), int(remote[1]) > 0,
                   f"(of {remote[0]} {self.args.signer_pipeline} jobs)")
        audit = self.sealpress("audit", "verify", check=False)
        expect("usage chain (audit verify)", "intact" if audit.returncode == 0 else "BROKEN", audit.returncode == 0,
               audit.stdout.strip().splitlines()[-1] if audit.stdout.strip() else audit.stderr.strip()[-200:])
        files_ok, files_bad, detail = self.check_files()
        expect("output files parse (qpdf --check / zip CRC)", files_ok, files_bad == 0,
               f"{files_bad} broken {detail}".strip())
        for check in self.fence_checks:
            uuid = check["uuid"]
            late = 0
            for job, attempt in check["held"]:
                late += int(self.scalar(f"SELECT count(*) FROM sealpress.outputs WHERE job_id = {job} AND "
                                        f"worker_id = '{uuid}' AND attempt = {attempt}"))
            rejected = count_in_logs(os.path.dirname(check["log"]), ("rejected by the fence",),
                                     files=[check["log"]])
            label = f"worker-stop {check['worker']}{' (leader)' if check['leader'] else ''}"
            expect(f"{label}: jobs rescued while stopped",
                   f"{len(check['held']) - check['still_running_at_wake']}/{len(check['held'])}",
                   check["still_running_at_wake"] == 0)
            expect(f"{label}: late results stored", late, late == 0,
                   f"({rejected} fence rejections logged)")
        for clock, name, uuid in self.offset_workers:
            done = int(self.scalar(f"SELECT count(*) FROM sealpress.outputs WHERE worker_id = '{uuid}'")) if uuid else 0
            expect(f"clock {clock} worker {name}: jobs completed", done, done > 0,
                   "(pre-flight and signing time from the database's clock)")
        return rows, counts

    def check_files(self):
        """Every stored output, written to a file as `sealpress export` would, must parse: `qpdf --check` for PDFs,
        every ZIP entry's CRC for OFDs; a random sample must also pass `sealpress verify`."""
        out = os.path.join(self.home, "export")
        os.makedirs(out, exist_ok=True)
        have_qpdf = shutil.which("qpdf") is not None
        if not have_qpdf and os.environ.get("SEALPRESS_REQUIRE_PEERS") == "1":
            self.failures.append("qpdf is missing but SEALPRESS_REQUIRE_PEERS=1 (CI) requires it")
        ok = bad = 0
        broken, written = [], []
        stream = subprocess.Popen(
            [PSQL, "-X", "-At", "-F", "\t", "-d", self.url, "-c",
             "COPY (SELECT o.job_id, d.name, encode(sealpress.output_bytes(o.job_id), 'base64') FROM sealpress.outputs o "
             "JOIN sealpress.jobs j ON j.id = o.job_id LEFT JOIN sealpress.documents d ON d.id = j.document_id "
             "WHERE o.bytes IS NOT NULL ORDER BY o.job_id) TO STDOUT"],
            stdout=subprocess.PIPE, text=True, env=self.env)
        for line in stream.stdout:
            job, name, b64 = line.rstrip("\n").split("\t")
            data = base64.b64decode(b64.replace("\\n", ""))
            suffix = ".ofd" if data[:2] == b"PK" else ".pdf"
            path = os.path.join(out, f"{job}-signed{suffix}")
            with open(path, "wb") as f:
                f.write(data)
            written.append(path)
            good = True
            if suffix == ".pdf":
                good = data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
                if good and have_qpdf:
                    r = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
                    good = r.returncode in (0, 3)  # 3: warnings only
            else:
                try:
                    with zipfile.ZipFile(path) as z:
                        good = z.testzip() is None
                except zipfile.BadZipFile:
                    good = False
            if good:
                ok += 1
                if len(written) > 4 * self.args.verify_sample:
                    os.remove(path)
                    written.pop()
            else:
                bad += 1
                broken.append(f"job {job} ({name})")
        stream.wait()
        self.rng.shuffle(written)
        verified = 0
        sample = written[: self.args.verify_sample]
        for path in sample:
            r = self.sealpress("verify", "--trust", f"{self.pki}/roots.pem", path, check=False)
            if r.returncode == 0:
                verified += 1
            else:
                bad += 1
                broken.append(f"{os.path.basename(path)} (verify exit {r.returncode})")
        detail = f"({'qpdf --check' if have_qpdf else 'header/trailer'} for PDFs, ZIP CRCs for OFDs; " \
                 f"{verified} of {len(sample)} sampled also pass `sealpress verify --trust`)"
        if broken:
            detail += " e.g. " + ", ".join(broken[:3])
        return ok, bad, detail

    # MARK: - report

    def report(self, rows, counts):
        lines = ["", "## Chaos suite result", "",
                 f"jobs {self.expected_jobs}, workers {len(self.slots)} × concurrency {self.args.concurrency}, "
                 f"seed {self.args.seed}, rounds {self.args.rounds}, {self.elapsed:.0f} s, "
                 f"disk: {self.disk['kind'] if self.disk else '?'}", "",
                 "| fault | injected | jobs running at injection | notes |", "|---|---:|---|---|"]
        for kind in FAULT_KINDS:
            planned = self.fault_plan.count(kind) if hasattr(self, "fault_plan") else 0
            note = "; ".join(self.notes.get(kind, [])[:4])
            if kind == "kill":
                note = f"workers restarted by the supervisor: {sum(self.worker_exits.values())} " \
                       f"({', '.join(f'{k} {v}' for k, v in sorted(self.worker_exits.items()))})"
            running = self.live_at_fault.get(kind, [])
            shown = (f"{min(running)}–{max(running)}" if len(set(running)) > 1 else str(running[0])) if running else "–"
            lines.append(f"| {kind} | {self.injected.get(kind, 0)}/{planned} | {shown} | {note} |")
        lines += ["", "| invariant | value | | detail |", "|---|---:|---|---|"]
        for name, value, status, detail in rows:
            lines.append(f"| {name} | {value} | {status} | {detail} |")
        retried = self.psql("SELECT e->>'code', count(*) FROM sealpress.jobs, jsonb_array_elements(errors) e "
                            "GROUP BY 1 ORDER BY 2 DESC")
        lines += ["", "failed attempts along the way (errors history, by code): "
                  + (", ".join(f"{c} {n}" for c, n in retried) or "none")]
        for note in self.notes.get("workers", [])[:5]:
            lines.append(f"worker note: {note}")
        for note in self.notes.get("worker-stop-sessions", []):
            lines.append(f"sessions while a stopped worker still held jobs: {note}")
        for note in self.notes.get("disk", []):
            lines.append(f"disk note: {note}")
        lines.append("")
        lines.append("RESULT: " + ("PASS" if not self.failures else "FAIL — " + "; ".join(self.failures)))
        text = "\n".join(lines)
        print(text, flush=True)
        with open(os.path.join(self.run_dir, "result.md"), "w") as f:
            f.write(text + "\n")

    # MARK: - teardown

    def teardown_cluster(self, quiet=False):
        steps = []
        for service in (self.tsa, self.signer):
            if service and service.poll() is None:
                steps.append(lambda service=service: os.kill(service.pid, signal.SIGCONT))
                steps.append(lambda service=service: (service.terminate(), service.wait(timeout=10)))
        status = {}
        try:
            status = json.loads(self.sp(self.bin, "db", "status", "--json", check=False).stdout or "{}")
        except (ValueError, OSError, subprocess.TimeoutExpired):
            pass
        steps.append(lambda: self.sp(self.bin, "db", "stop", check=False, timeout=120))
        mount = self.tablespace_mount(status.get("dataDirectory"))
        steps.append(lambda: os.path.ismount(mount) and self.sp("umount", mount, check=False))
        if not quiet and not self.args.keep:
            for path in ("tablespace.img", "export", "documents"):
                full = os.path.join(self.home, path)
                steps.append(lambda full=full: shutil.rmtree(full) if os.path.isdir(full) else
                             (os.path.exists(full) and os.remove(full)))
            data = status.get("dataDirectory")
            if data and not data.startswith(self.home):
                steps.append(lambda: shutil.rmtree(os.path.dirname(data), ignore_errors=True))
            elif data:
                steps.append(lambda: shutil.rmtree(data, ignore_errors=True))
        for step in steps:
            try:
                step()
            except Exception as error:  # teardown goes on whatever failed before
                print(f"chaos: teardown: {error}", file=sys.stderr)


def tail(path, n=3):
    try:
        return " | ".join(open(path, errors="replace").read().strip().splitlines()[-n:])[-400:]
    except OSError:
        return ""


def count_in_logs(directory, needles, files=None):
    total = 0
    for path in files or glob.glob(os.path.join(directory, "*.log")):
        try:
            for line in open(path, errors="replace"):
                if any(n in line for n in needles):
                    total += 1
        except OSError:
            pass
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", required=True, help="the sealpress binary")
    p.add_argument("--home", default=os.path.join(ROOT, ".build", "chaos"), help="throwaway SEALPRESS_HOME")
    p.add_argument("--jobs", type=int, default=300)
    p.add_argument("--rounds", type=int, default=1, help="times each fault kind is injected")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=2)
    p.add_argument("--job-timeout", type=int, default=8, help="worker --job-timeout (seconds)")
    p.add_argument("--rescue-after", type=int, default=5, help="worker --rescue-after-seconds")
    p.add_argument("--hang-extra", type=int, default=4, help="TSA/signer hangs last job timeout + this")
    p.add_argument("--disk-mb", type=int, default=0, help="tablespace filesystem size (default: from --jobs)")
    p.add_argument("--disk-hold", type=int, default=6, help="seconds the tablespace stays full")
    p.add_argument("--clock-hold", type=int, default=8, help="seconds a clock-offset worker runs")
    p.add_argument("--max-attempts", type=int, default=25)
    p.add_argument("--initial", type=int, default=30, help="jobs enqueued before the workers start")
    p.add_argument("--gap", type=int, default=2, help="seconds between two faults")
    p.add_argument("--timeout", type=int, default=1800, help="seconds before the run counts as stuck")
    p.add_argument("--verify-sample", type=int, default=12, help="outputs also checked with `sealpress verify`")
    p.add_argument("--signer-pipeline", default=os.environ.get("CHAOS_SIGNER_PIPELINE"),
                   help="pipeline whose seal signs through the remote signer (its jobs make the signer-hang burst)")
    p.add_argument("--signer-pid-file", default=os.environ.get("CHAOS_SIGNER_PID_FILE"),
                   help="pid of a remote signing service (`keys serve`) to hang instead of the one the driver "
                        "starts (then --signer-pipeline names the pipeline that signs through it)")
    p.add_argument("--skip", action="append", default=[], choices=FAULT_KINDS, help="leave a fault kind out")
    p.add_argument("--keep", action="store_true", help="keep the cluster data and exports")
    args = p.parse_args()
    if args.disk_mb == 0:
        args.disk_mb = max(96, 64 + args.jobs * 80 // 1024)
    chaos = Chaos(args)
    try:
        chaos.setup()
    except (SetupError, subprocess.TimeoutExpired, OSError) as error:
        print(f"chaos: setup failed: {error}", file=sys.stderr)
        chaos.teardown_cluster()
        return 2
    try:
        chaos.run()
        rows, counts = chaos.check()
        chaos.report(rows, counts)
    except (SetupError, subprocess.TimeoutExpired) as error:
        print(f"chaos: {error}", file=sys.stderr)
        chaos.failures.append(str(error))
    finally:
        chaos.stop_workers()
        chaos.teardown_cluster()
    return 1 if chaos.failures else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
