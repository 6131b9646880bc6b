"""A real WordPress for tests: Debian's ``wordpress`` package served by ``php -S`` on 127.0.0.1,
its database a private MariaDB (``mariadb-install-db`` into a temp folder, ``mariadbd`` on a
socket), set up in a few seconds and torn down afterwards.

Nothing outside the temp folder is touched: Debian's ``wp-config.php`` looks for its settings
in /etc/wordpress, so the site is a folder of links to /usr/share/wordpress with a
``wp-config.php`` of its own, and a router script that points ``ABSPATH`` at it.
``WP_ENVIRONMENT_TYPE`` is ``local``, which lets application passwords work over plain http.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WP_DIR = Path("/usr/share/wordpress")
NEEDS = ("php", "mariadbd", "mariadb-install-db", "mariadb")
DEBIAN_PACKAGES = "wordpress php-cli php-mysql mariadb-server"


def missing() -> str | None:
    """Why a WordPress cannot be started here, or None."""
    lacking = [t for t in NEEDS if shutil.which(t) is None and not Path("/usr/sbin", t).exists()]
    if lacking or not (WP_DIR / "wp-settings.php").is_file():
        return (f"needs Debian {DEBIAN_PACKAGES} (missing: {', '.join(lacking) or WP_DIR}); "
                "`make test` installs them")
    probe = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False)
    if "mysqli" not in probe.stdout:
        return "php has no mysqli module (apt-get install php-mysql)"
    return None


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path("/usr/sbin", name))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ROUTER = """<?php
// php -S router: every request runs WordPress from this site folder (ABSPATH), whatever
// folder the linked PHP file really lives in
define('ABSPATH', %(abspath)s);
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$file = realpath(ABSPATH . ltrim($path, '/'));
if ($file !== false && is_dir($file)) { $file = realpath($file . '/index.php'); }
if ($file !== false && is_file($file)) {
    if (substr($file, -4) !== '.php') { return false; }
    chdir(dirname($file));
    $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = $path;
    require $file;
    return;
}
chdir(ABSPATH);
require ABSPATH . 'index.php';
"""

CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', %(db_password)s);
define('DB_HOST', %(db_host)s);
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HOME', %(url)s);
define('WP_SITEURL', %(url)s);
define('WP_CONTENT_DIR', %(content)s);
define('WP_CONTENT_URL', %(content_url)s);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
%(salts)s
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
"""

# no mail server here: WordPress mails the admin on install
NO_MAIL = "<?php\nfunction wp_mail() { return true; }\n"

INSTALL = """<?php
define('ABSPATH', %(abspath)s);
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$r = wp_install('sokbo 테스트 블로그', 'editor', 'editor@blog.example', false, '',
                wp_generate_password(24));
update_option('permalink_structure', '/%%postname%%/');
update_option('timezone_string', 'Asia/Seoul');
list($pw, $item) = WP_Application_Passwords::create_new_application_password(
    $r['user_id'], array('name' => 'sokbo tests'));
echo json_encode(array('user' => 'editor', 'password' => $pw));
"""


def _php(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class WordPressServer:
    url: str
    user: str
    password: str
    root: Path
    processes: list[subprocess.Popen]

    def stop(self) -> None:
        """Stop every process, each with its whole process group (php -S forks workers)."""
        for p in reversed(self.processes):
            _signal_group(p, signal.SIGTERM)
        for p in reversed(self.processes):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(p, signal.SIGKILL)
                p.wait(timeout=20)
            _signal_group(p, signal.SIGKILL)  # workers that outlived their parent


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(p.pid, sig)  # each process was started as the leader of its own group
    except (ProcessLookupError, PermissionError):
        pass


def _wait(check, what: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited {proc.returncode}: {log.read_text()[-2000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in {timeout:.0f} s: {log.read_text()[-2000:]}")


def start_wordpress(root: Path, plugins: list[Path] = ()) -> WordPressServer:
    """MariaDB + WordPress under ``root``; ``plugins`` go to wp-content/mu-plugins/."""
    root.mkdir(parents=True, exist_ok=True)
    user = os.environ.get("USER") or "root"
    if os.geteuid() == 0:
        user = "root"
    datadir, sock = root / "db", root / "mysql.sock"
    procs: list[subprocess.Popen] = []
    subprocess.run([_tool("mariadb-install-db"), "--no-defaults", f"--datadir={datadir}",
                    "--auth-root-authentication-method=normal", "--skip-test-db",
                    f"--user={user}"], check=True, capture_output=True, timeout=120)
    db_log = root / "mariadb.log"
    mysqld = subprocess.Popen(
        [_tool("mariadbd"), "--no-defaults", f"--datadir={datadir}", f"--socket={sock}",
         "--skip-networking", f"--user={user}", f"--pid-file={root / 'mariadb.pid'}",
         f"--log-error={db_log}", "--innodb-buffer-pool-size=32M", "--skip-log-bin"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    procs.append(mysqld)
    server = WordPressServer("", "", "", root, procs)
    try:
        db_log.touch()
        _wait(sock.exists, "mariadbd", mysqld, db_log)
        db_password = secrets.token_urlsafe(16)
        sql = ("CREATE DATABASE wordpress CHARACTER SET utf8mb4; "
               f"CREATE USER 'wp'@'localhost' IDENTIFIED BY '{db_password}'; "
               "GRANT ALL ON wordpress.* TO 'wp'@'localhost';")
        for _ in range(50):  # the socket can exist a moment before the server accepts
            done = subprocess.run([_tool("mariadb"), "--no-defaults", f"--socket={sock}",
                                   "-uroot", "-e", sql], capture_output=True, text=True)
            if done.returncode == 0:
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"cannot create the database: {done.stderr}")

        site = root / "site"
        (site / "wp-content" / "uploads").mkdir(parents=True)
        (site / "wp-content" / "mu-plugins").mkdir()
        for entry in WP_DIR.iterdir():
            if entry.name not in ("wp-config.php", "wp-content"):
                (site / entry.name).symlink_to(entry)
        for name in ("themes", "plugins", "languages"):
            if (WP_DIR / "wp-content" / name).exists():
                (site / "wp-content" / name).symlink_to(WP_DIR / "wp-content" / name)
        (site / "wp-content" / "mu-plugins" / "no-mail.php").write_text(NO_MAIL)
        for plugin in plugins:
            shutil.copy(plugin, site / "wp-content" / "mu-plugins" / plugin.name)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        salts = "\n".join(f"define('{k}', '{secrets.token_hex(32)}');" for k in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
            "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
        abspath = _php(str(site) + "/")
        (site / "wp-config.php").write_text(CONFIG % {
            "db_password": _php(db_password), "db_host": _php(f"localhost:{sock}"),
            "url": _php(url), "content": _php(str(site / "wp-content")),
            "content_url": _php(url + "/wp-content"), "salts": salts})
        (root / "router.php").write_text(ROUTER % {"abspath": abspath})
        (root / "install.php").write_text(INSTALL % {"abspath": abspath})
        done = subprocess.run(["php", str(root / "install.php")], capture_output=True,
                              text=True, timeout=120, cwd=root)
        if done.returncode != 0:
            raise RuntimeError(f"WordPress install failed: {done.stdout[-1000:]} "
                               f"{done.stderr[-1000:]}")
        creds = json.loads(done.stdout.strip().splitlines()[-1])
        php_log = root / "php.log"
        with php_log.open("w") as log:
            php = subprocess.Popen(
                ["php", "-S", f"127.0.0.1:{port}", "-t", str(site), str(root / "router.php")],
                stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True,
                env=dict(os.environ, PHP_CLI_SERVER_WORKERS="2"))
        procs.append(php)

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return True
            except OSError:
                return False

        _wait(answers, "php -S", php, php_log)
        server.url, server.user, server.password = url, creds["user"], creds["password"]
        return server
    except BaseException:
        server.stop()
        raise
