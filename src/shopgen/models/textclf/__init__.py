"""The one linear text classifier of shopgen (sentiment, the assistant's intent, the live intent):
sparse tf-idf features × one weight matrix, softmax (or a sigmoid for two labels), one file format."""

from shopgen.models.textclf.data import read_labelled
from shopgen.models.textclf.linear import FORMAT, LinearTextClassifier, from_logistic

__all__ = ["FORMAT", "LinearTextClassifier", "from_logistic", "read_labelled"]
