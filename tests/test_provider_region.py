"""What every adapter that claims Vary (Region) does, against its fake: the mask goes as the
adapter says it takes it (inline, or by URL), byte for byte, with the new prompt, and the
repainted image comes back as a grid with its buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.domain import Action
from bot.flows.region import mask_png
from bot.providers.base import data_uri
from bot.providers.tasks import Capability
from tests.contract import finish
from tests.test_provider_contract import ADAPTERS, Pair, start

CLAIMING = [
    name for name, (_, cls) in ADAPTERS.items() if Capability.VARY_REGION in cls.capabilities
]


@pytest.fixture(params=CLAIMING)
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    fake, provider = await start(request.param)
    yield fake, provider
    await provider.aclose()
    await fake.stop()


async def test_vary_region_repaints_with_the_mask_and_the_prompt(pair: Pair) -> None:
    fake, provider = pair
    grid = await finish(provider, await provider.imagine("a house by a lake"))
    u1 = next(b for b in grid.buttons if b.action is Action.UPSCALE and b.index == 1)
    upscale = await finish(provider, await provider.act(grid.task_id, u1))
    region = next(b for b in upscale.buttons if b.action is Action.VARY_REGION)
    png = mask_png((256, 256), [1, 6])
    inline = Action.VARY_REGION in provider.inline_images
    mask = data_uri(png, "image/png") if inline else fake.hosted(png)
    done = await finish(
        provider, await provider.act(upscale.task_id, region, prompt="a red door", mask=mask)
    )
    assert done.image_url
    assert {Action.UPSCALE, Action.VARIATION} <= {button.action for button in done.buttons}
    assert fake.masks_received == [png]
    (task,) = [task for task in fake.tasks.values() if task.kind == "vary_region"]
    assert "a red door" in task.prompt


def test_every_adapter_claims_vary_region() -> None:
    """providers.md §6: every provider documents a region flow."""
    assert list(ADAPTERS) == CLAIMING
