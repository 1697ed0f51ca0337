"""--image-layout PATH: the image as a build or a copy writes it, for image.manifest (the
media types SageMaker accepts)."""
from ...registry import FeatureSpec, feature
from . import options

feature(FeatureSpec("image_layout", "the image's manifest as it will be pushed", options.build,
                    options.OPTIONS, order=50))
