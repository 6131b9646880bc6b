"""Korean language stage: cleaning, sentences, morphemes, speech style, headlines."""
