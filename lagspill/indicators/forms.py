from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lagspill.places.models import County

from . import derived
from .models import Indicator, WeightSet


class WeightSetForm(forms.Form):
    """A named weight set for the challenge index, one weight (0–10) per indicator with a direction."""

    name = forms.CharField(label=_("Name of the weight set"), max_length=120)

    def __init__(self, *args: Any, county: County, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.county = county
        self.indicators = list(Indicator.objects.exclude(polarity=0).exclude(unit="count"))
        for indicator in self.indicators:
            self.fields[f"w_{indicator.code}"] = forms.DecimalField(
                label=indicator.name,
                min_value=Decimal(0),
                max_value=Decimal(10),
                decimal_places=1,
                initial=Decimal(str(indicator.index_weight)),
                help_text=indicator.definition,
            )

    def clean(self) -> dict:
        data = super().clean()
        if all(not data.get(f"w_{i.code}") for i in self.indicators) and not self.errors:
            raise forms.ValidationError(_("Give at least one indicator a weight above 0."))
        return data

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if WeightSet.objects.filter(slug=self.slug_for(name)).exists():
            raise forms.ValidationError(_("A weight set with this name already exists."))
        return name

    def slug_for(self, name: str) -> str:
        return slugify(f"{self.county.number}-{name}")[:80]

    def save(self, user: Any) -> WeightSet:
        weights = {i.code: float(self.cleaned_data[f"w_{i.code}"]) for i in self.indicators}
        weight_set = WeightSet.objects.create(
            slug=self.slug_for(self.cleaned_data["name"]),
            name=self.cleaned_data["name"],
            county=self.county,
            weights={code: w for code, w in weights.items() if w > 0},
            created_by=user,
        )
        derived.compute_index([weight_set])
        return weight_set
