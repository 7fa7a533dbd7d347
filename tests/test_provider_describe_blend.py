"""What every adapter that claims describe or blend does, against its fake: the image goes
as the adapter says it takes it (inline, or by URL), byte for byte; a describe comes back as
the four suggested prompts, a blend as a grid with its buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.domain import Action
from bot.providers.base import data_uri
from bot.providers.tasks import Capability, TaskSnapshot
from tests.contract import finish
from tests.fakes.provider_base import DESCRIBE_PROMPTS
from tests.test_image_prompts import jpeg
from tests.test_provider_contract import ADAPTERS, Pair, start


def claiming(capability: Capability) -> list[str]:
    return [name for name, (_, cls) in ADAPTERS.items() if capability in cls.capabilities]


@pytest.fixture
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    fake, provider = await start(request.param)
    yield fake, provider
    await provider.aclose()
    await fake.stop()


def given(pair: Pair, action: Action, image: bytes) -> str:
    """The image as the adapter takes it for `action`."""
    fake, provider = pair
    return data_uri(image) if action in provider.inline_images else fake.hosted(image)


@pytest.mark.parametrize("pair", claiming(Capability.DESCRIBE), indirect=True)
async def test_describe_gives_the_four_prompts(pair: Pair) -> None:
    fake, provider = pair
    photo = jpeg("maroon")
    answer = await provider.describe(given(pair, Action.DESCRIBE, photo))
    done = answer if isinstance(answer, TaskSnapshot) else await finish(provider, answer)
    assert done.prompts == DESCRIBE_PROMPTS
    assert fake.images_received == [[photo]]


@pytest.mark.parametrize("pair", claiming(Capability.BLEND), indirect=True)
@pytest.mark.parametrize("shape", ["2:3", "1:1", "3:2"])
async def test_blend_gives_a_grid_with_buttons(pair: Pair, shape: str) -> None:
    fake, provider = pair
    images = [jpeg("coral"), jpeg("indigo")]
    task_id = await provider.blend([given(pair, Action.BLEND, image) for image in images], shape)
    done = await finish(provider, task_id)
    assert done.image_url
    actions = {button.action for button in done.buttons}
    assert {Action.UPSCALE, Action.VARIATION, Action.REROLL} <= actions
    assert fake.images_received == [images]


def test_every_flow_is_claimed_where_the_protocol_has_it() -> None:
    """providers.md §6: describe and blend everywhere but GPTunnel."""
    assert claiming(Capability.DESCRIBE) == ["agicto", "apimart", "acedata", "ttapi"]
    assert claiming(Capability.BLEND) == ["agicto", "apimart", "acedata", "ttapi"]
