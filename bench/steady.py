"""Steady load: about 500 jobs in flight and 8 results a second, Telegram's limits enforced.

`python -m bot` runs in its own process against the fake Bot API and a fake provider whose
tasks end by the clock, 50–75 s after their submit (seeded). People in distinct private chats
send /imagine, RATE a second (Poisson, seeded); once WARM_IN_FLIGHT tasks are in flight and the
longest task could have ended (or after WARM_MAX s) a window is measured, then the sending
stops and the results of the tasks that ended in the window are waited for. Prints, over those
jobs: the delay from the task's success at the provider to its sendPhoto at the Bot API (p50,
p95, max), the tasks in flight, provider requests per job (counted by a middleware on the fake;
submits and image downloads apart), Telegram calls per job by method and the 429s, the bot's
CPU over the window and its peak RSS (from /proc). `--callbacks`: webhook mode, where submits
carry a callback URL the fake POSTs to; also prints the callbacks and the delay from the
success callback.
Run: python bench/steady.py [--provider NAME] [--callbacks] [--window 60] [--poll-interval S]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import re
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

from tests.fakes.acedata import FakeAcedata
from tests.fakes.agicto import FakeAgicto
from tests.fakes.apimart import FakeApimart
from tests.fakes.gptunnel import FakeGptunnel
from tests.fakes.provider_base import FakeProvider, FakeTask
from tests.fakes.telegram import TOKEN, FakeTelegram
from tests.fakes.ttapi import FakeTtapi

FAKES = {
    fake.name: fake for fake in (FakeAgicto, FakeTtapi, FakeAcedata, FakeApimart, FakeGptunnel)
}
RATE = 8.0  # /imagine a second
TASK_SECONDS = (50.0, 75.0)
WARM_IN_FLIGHT, WARM_MAX = 480, 90.0
DRAIN_MAX = 120.0  # seconds to wait after the window for its results
FIRST_USER = 10_000
JOB_WORD = re.compile(r"job(\d+)")
DONE = ("success", "failure")


class BotExited(Exception):
    pass


def timed(base: type[FakeProvider]) -> FakeProvider:
    """The fake `base`, noting when each task succeeded and when its success callback was
    POSTed, and counting its requests: image, submit or query (every other request)."""

    class Timed(base):  # type: ignore[valid-type, misc]
        def __init__(self) -> None:
            super().__init__()
            self.finished: dict[str, float] = {}
            self.hooked: dict[str, float] = {}
            self.requests: collections.Counter[str] = collections.Counter()
            self._success_bodies: dict[int, str] = {}

        def changed(self, task: FakeTask) -> None:
            if task.state == "success":
                self.finished.setdefault(task.id, time.monotonic())
            super().changed(task)

        def callback_body(self, task: FakeTask) -> object:
            body = super().callback_body(task)
            if body is not None and task.state == "success":
                self._success_bodies[id(body)] = task.id
            return body

        async def _send_callback(self, url: str, body: object) -> None:
            task_id = self._success_bodies.pop(id(body), None)
            if task_id is not None:
                self.hooked.setdefault(task_id, time.monotonic())
            await super()._send_callback(url, body)

        @web.middleware
        async def _fault_middleware(self, request: web.Request, handler):  # type: ignore[override]
            image, submit = request.path.startswith("/img/"), self.is_submit(request)
            self.requests["image" if image else "submit" if submit else "query"] += 1
            return await super()._fault_middleware(request, handler)

    return Timed()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], share: float) -> float:
    return values[int(share * (len(values) - 1))] if values else float("nan")


def line(label: str, text: str) -> None:
    print(f"  {label:<17}{text}")


async def until(check, seconds: float, bot: asyncio.subprocess.Process) -> bool:
    """Wait until check() holds (True) or `seconds` pass (False); BotExited if the bot died."""
    end = time.monotonic() + seconds
    while not check():
        if bot.returncode is not None:
            raise BotExited
        if time.monotonic() >= end:
            return False
        await asyncio.sleep(0.25)
    return True


async def send_load(telegram: FakeTelegram, stop: asyncio.Event) -> None:
    gaps, due, user_id = random.Random(2), time.monotonic(), FIRST_USER
    while not stop.is_set():
        due += gaps.expovariate(RATE)
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        chat, user = telegram.private_chat(user_id), telegram.user(user_id)
        telegram.send_text(chat, user, f"/imagine a lighthouse at dusk, job{user_id}")
        user_id += 1


async def stop_bot(bot: asyncio.subprocess.Process) -> None:
    if bot.returncode is None:
        bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), 30)
        except TimeoutError:
            bot.kill()
            await bot.wait()


async def run(args: argparse.Namespace, directory: Path) -> None:
    telegram, provider = FakeTelegram(), timed(FAKES[args.provider])
    await telegram.start()
    await provider.start()
    durations = random.Random(1)
    provider.task_seconds = lambda task: durations.uniform(*TASK_SECONDS)
    posted: dict[int, float] = {}  # chat → when its first photo reached the Bot API
    send_photo = telegram._m_sendPhoto

    async def timed_send_photo(params: dict) -> dict:
        arrived = time.monotonic()
        message = await send_photo(params)
        posted.setdefault(message["chat"]["id"], arrived)
        return message

    telegram._methods["sendphoto"] = timed_send_photo
    telegram.enforce_limits()
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "MJ_PROVIDER": args.provider,
        "MJ_API_URL": provider.base_url,
        "MJ_API_KEY": provider.api_key,
        "DATABASE_URL": f"sqlite:///{directory / 'steady.db'}",
        "MJ_HTTP_TIMEOUT": "10",
        "MJ_JOB_TIMEOUT": "900",
    }
    if args.poll_interval is not None:
        env["MJ_POLL_INTERVAL"] = str(args.poll_interval)
    if args.callbacks:
        port = free_port()
        env.update(PUBLIC_URL=f"http://127.0.0.1:{port}", PORT=str(port))
    interval = "5 s (default)" if args.poll_interval is None else f"{args.poll_interval:g} s"
    mode = "webhook + provider callbacks" if args.callbacks else "polling (getUpdates)"
    low, high = TASK_SECONDS
    print(f"steady load: provider {args.provider}, {mode}, poll interval {interval},")
    print(f"  {RATE:g} /imagine a second, tasks {low:g}–{high:g} s, window {args.window:g} s")
    log_path = directory / "bot.log"
    with log_path.open("wb") as log:
        options = {"env": {**os.environ, **env}, "cwd": directory, "stdout": log, "stderr": log}
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", **options)

    def in_flight() -> int:
        return sum(task.state not in DONE for task in provider.tasks.values())

    def snapshot() -> dict:
        return {
            "at": time.monotonic(),
            "bot cpu": cpu_seconds(bot.pid),
            "own cpu": time.process_time(),
            "calls": len(telegram.calls),
            "429s": len(telegram.flooded),
            "callbacks": len(provider.callbacks),
            "requests": provider.requests.copy(),
        }

    stop, sender = asyncio.Event(), None
    try:
        if not await until(lambda: any(n == "setMyCommands" for n, _ in telegram.calls), 30, bot):
            raise BotExited
        sender, started = asyncio.create_task(send_load(telegram, stop)), time.monotonic()

        def warm() -> bool:
            return in_flight() >= WARM_IN_FLIGHT and time.monotonic() - started >= TASK_SECONDS[1]

        await until(warm, WARM_MAX, bot)
        line("warm-up", f"{time.monotonic() - started:.1f} s, {in_flight()} tasks in flight")
        before, samples = snapshot(), []
        while time.monotonic() < before["at"] + args.window:
            samples.append(in_flight())
            await until(lambda: False, 0.5, bot)  # a pause that notices the bot's exit
        after, rss = snapshot(), peak_rss_mb(bot.pid)
        stop.set()
        chat_of = {t.id: int(JOB_WORD.search(t.prompt).group(1)) for t in provider.tasks.values()}
        ended = {t: at for t, at in provider.finished.items() if before["at"] <= at < after["at"]}
        drained = await until(lambda: all(chat_of[t] in posted for t in ended), DRAIN_MAX, bot)
    except BotExited:
        tail = log_path.read_text(errors="replace").splitlines()[-20:]
        print(f"the bot exited early (status {bot.returncode}); its log ends:", *tail, sep="\n")
        return
    finally:
        stop.set()
        if sender is not None:
            sender.cancel()
        await stop_bot(bot)
        await provider.stop()
        await telegram.stop()

    seconds, jobs = after["at"] - before["at"], len(ended)
    per = max(jobs, 1)
    delays = sorted(posted[chat_of[t]] - at for t, at in ended.items() if chat_of[t] in posted)
    late = "" if drained else f"; {jobs - len(delays)} not posted {DRAIN_MAX:g} s after"
    line("jobs", f"{jobs} tasks ended in the window, {jobs / seconds:.2f}/s{late}")
    p50, p95, most = pct(delays, 0.5), pct(delays, 0.95), max(delays, default=float("nan"))
    line("delay from end", f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {most:.2f} s")
    line("", "(target p50 ≤ 1.5 s, p95 ≤ 3 s)")
    if args.callbacks:
        hooked = sorted(
            posted[chat_of[t]] - provider.hooked[t]
            for t in ended
            if t in provider.hooked and chat_of[t] in posted
        )
        line("from callback", f"p50 {pct(hooked, 0.5):.2f} s, p95 {pct(hooked, 0.95):.2f} s")
        hooks = provider.callbacks[before["callbacks"] : after["callbacks"]]
        other = collections.Counter(s for _, _, s in hooks if not 200 <= s < 300)
        text = f"{len(hooks)} in the window, {len(hooks) / per:.1f} per job; not 2xx: "
        line("callbacks", text + (", ".join(f"{n} × {s}" for s, n in other.items()) or "none"))
    line("in flight", f"min {min(samples)}, max {max(samples)} (tasks at the fake)")
    asked = after["requests"] - before["requests"]
    queries = f"{asked['query'] / per:.2f} per job, {asked['query'] / seconds:.1f}/s"
    line("provider queries", f"{queries}; {asked['submit']} submits, {asked['image']} images apart")
    calls = telegram.calls[before["calls"] : after["calls"]]
    methods = collections.Counter(name for name, _ in calls if name != "getUpdates")
    line("telegram per job", ", ".join(f"{n} {c / per:.2f}" for n, c in sorted(methods.items())))
    flooded = after["429s"] - before["429s"]
    line("telegram 429s", f"{flooded} in the window, {len(telegram.flooded)} in the run")
    cpu = 100 * (after["bot cpu"] - before["bot cpu"]) / seconds
    line("bot CPU", f"{cpu:.1f} % of one core over the window  (target ≤ 10 %)")
    line("bot peak RSS", f"{rss:.0f} MB  (target ≤ 150 MB)")
    own = 100 * (after["own cpu"] - before["own cpu"]) / seconds
    line("fakes' CPU", f"{own:.1f} % of one core (this process, for comparison)")
    lines = log_path.read_text(errors="replace").splitlines()
    counts = [(word, sum(word in text for text in lines)) for word in ("ERROR", "Traceback")]
    line("bot log", ", ".join(f"{n} lines with {word}" for word, n in counts) + f" of {len(lines)}")
    for text in [text for text in lines if "ERROR" in text][:3]:
        line("", text[:160])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--provider", choices=sorted(FAKES), default="agicto")
    parser.add_argument("--callbacks", action="store_true", help="webhook mode, callbacks")
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--poll-interval", type=float, help="MJ_POLL_INTERVAL (default 5 s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(run(args, Path(directory)))


if __name__ == "__main__":
    main()
