"""Chinese text utilities: tokenisation (jieba + a shop-term user dictionary), normalisation."""
