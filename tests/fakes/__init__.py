"""In-repo fakes: a scripted model behind the LM interface and a fake OpenAI-compatible server."""
